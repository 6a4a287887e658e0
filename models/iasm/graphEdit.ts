// Copying a model for editing without copying its weights.
import type { ModelProto } from '../onnx/index.ts';

/** A copy whose nodes and lists can be edited freely; tensors (and their bytes) are shared, not copied. */
export function cloneModelShallow(model: ModelProto): ModelProto {
  const g = model.graph;
  return {
    ...model,
    opsetImport: model.opsetImport.map((o) => ({ ...o })),
    metadataProps: [...model.metadataProps],
    graph: {
      ...g,
      node: g.node.map((n) => ({ ...n, input: [...n.input], output: [...n.output] })),
      initializer: g.initializer.map((t) => ({ ...t })),
      input: g.input.map((v) => ({ ...v })),
      output: g.output.map((v) => ({ ...v })),
      valueInfo: g.valueInfo.map((v) => ({ ...v })),
    },
  };
}
