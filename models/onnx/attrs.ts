// Typed access to node attributes.
import type { NodeProto } from './modelProto.ts';

const textDecoder = new TextDecoder();

export function attrInt(n: NodeProto, name: string): number | undefined;
export function attrInt(n: NodeProto, name: string, dflt: number): number;
export function attrInt(n: NodeProto, name: string, dflt?: number): number | undefined {
  const a = n.attribute.find((x) => x.name === name)?.attr;
  return a?.type === 'int' ? a.value : dflt;
}

export function attrFloat(n: NodeProto, name: string, dflt: number): number {
  const a = n.attribute.find((x) => x.name === name)?.attr;
  return a?.type === 'float' ? a.value : a?.type === 'int' ? a.value : dflt;
}

export function attrInts(n: NodeProto, name: string): number[] | undefined {
  const a = n.attribute.find((x) => x.name === name)?.attr;
  return a?.type === 'ints' ? a.value : undefined;
}

export function attrString(n: NodeProto, name: string, dflt: string): string {
  const a = n.attribute.find((x) => x.name === name)?.attr;
  return a?.type === 'string' ? textDecoder.decode(a.value) : dflt;
}

/** "Conv (node "conv1")": how errors name a node. */
export function describeNode(n: NodeProto): string {
  return `${n.domain ? `${n.domain}.` : ''}${n.opType} (node "${n.name || n.output[0] || '?'}")`;
}

/** The opset version the graph imports for `domain` ('' = the default ONNX domain). */
export function opsetVersion(opsetImport: readonly { domain: string; version: number }[], domain = ''): number {
  const d = domain === 'ai.onnx' ? '' : domain;
  return opsetImport.find((o) => (o.domain === 'ai.onnx' ? '' : o.domain) === d)?.version ?? 0;
}
