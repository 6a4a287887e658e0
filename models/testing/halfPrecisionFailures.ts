// Half-precision decoders that break the way a device can break them, for the fallback tests in Node
// and in the browser: NaN logits on the first step, or a kernel the backend does not have.
import { buildDecoder, buildFixtureTokenizer } from '../fixtures/smolvlm.ts';
import { halfPrecisionWeights } from '../fixtures/smolvlmPrecision.ts';
import { DataType, decodeModel, encodeModel } from '../onnx/index.ts';

/** The fixture's q4f16 decoder with every logit NaN (as a float16 overflow gives). */
export function nanLogitsDecoder(): Uint8Array {
  const vocabSize = buildFixtureTokenizer().vocabSize;
  return halfPrecisionWeights(
    buildDecoder({ vocabSize, logitBias: new Float32Array(vocabSize).fill(NaN), quant: 'q4', kv: 'float16' }),
  );
}

/**
 * `q4f16` (a q4f16 decoder) with one more output computed by a float16 op that ONNX Runtime's CPU
 * kernels lack (com.microsoft Rfft): the session fails to load with "Kernel not found", as a file
 * fails on a backend without the kernels it needs.
 */
export function missingKernelDecoder(q4f16: Uint8Array): Uint8Array {
  const model = decodeModel(q4f16);
  if (!model.opsetImport.some((o) => o.domain === 'com.microsoft'))
    model.opsetImport.push({ domain: 'com.microsoft', version: 1 });
  model.graph.node.push(
    {
      name: 'probe/Cast',
      opType: 'Cast',
      domain: '',
      input: ['logits'],
      output: ['probe_fp16'],
      attribute: [{ name: 'to', attr: { type: 'int', value: DataType.FLOAT16 } }],
    },
    {
      name: 'probe/Rfft',
      opType: 'Rfft',
      domain: 'com.microsoft',
      input: ['probe_fp16'],
      output: ['probe'],
      attribute: [],
    },
  );
  model.graph.output.push({ name: 'probe', elemType: DataType.FLOAT16 });
  return encodeModel(model);
}
