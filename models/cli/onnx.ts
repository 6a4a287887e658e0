// `aeslens onnx inspect <model.onnx> [--json]`: inputs, outputs, opsets, op histogram, parameters.
import { readFile } from 'node:fs/promises';
import { hasGradient, NON_DIFFERENTIABLE_OPS } from '../onnx/autodiff.ts';
import { DATA_TYPE_NAME, decodeModel, numel, type ModelProto, type ValueInfoProto } from '../onnx/index.ts';
import { messageOf } from '../common/errors.ts';

export const USAGE = 'Usage: aeslens onnx inspect <model.onnx> [--json]\n';

export interface ModelSummary {
  irVersion: number;
  producer: string;
  opsets: { domain: string; version: number }[];
  inputs: { name: string; type: string; shape: (number | string)[] | null }[];
  outputs: { name: string; type: string; shape: (number | string)[] | null }[];
  nodes: number;
  /** Op type (prefixed by its domain outside the default one) -> count, most frequent first. */
  ops: Record<string, number>;
  parameters: number;
  parameterBytes: number;
  /** Data files that initializers refer to (relative to the model file). */
  externalDataFiles: string[];
  /** Differentiable op types the autodiff (appendGradients) has no rule for. */
  opsWithoutGradient: string[];
}

function describeValue(v: ValueInfoProto) {
  return {
    name: v.name,
    type: v.elemType === undefined ? 'non-tensor' : (DATA_TYPE_NAME[v.elemType] ?? `type ${v.elemType}`),
    shape: v.shape ? v.shape.map((d) => (d === -1 ? '?' : d)) : null,
  };
}

export function summarizeModel(m: ModelProto): ModelSummary {
  const g = m.graph;
  const initNames = new Set(g.initializer.map((t) => t.name));
  const counts = new Map<string, number>();
  const noGrad = new Set<string>();
  for (const n of g.node) {
    const key = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (!hasGradient(n.opType, n.domain) && !(key === n.opType && NON_DIFFERENTIABLE_OPS.has(key))) noGrad.add(key);
  }
  let parameters = 0;
  let parameterBytes = 0;
  const files = new Set<string>();
  for (const t of g.initializer) {
    parameters += numel(t.dims);
    const ext = t.externalData;
    if (ext) {
      const loc = ext.find((e) => e.key === 'location')?.value;
      if (loc) files.add(loc);
      parameterBytes += Number(ext.find((e) => e.key === 'length')?.value ?? 0);
    } else parameterBytes += t.rawData?.length ?? 0;
  }
  return {
    irVersion: m.irVersion,
    producer: [m.producerName, m.producerVersion].filter(Boolean).join(' '),
    opsets: m.opsetImport.map((o) => ({ domain: o.domain || 'ai.onnx', version: o.version })),
    // Old exporters list initializers as inputs too; those are parameters, not inputs.
    inputs: g.input.filter((v) => !initNames.has(v.name)).map(describeValue),
    outputs: g.output.map(describeValue),
    nodes: g.node.length,
    ops: Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    parameters,
    parameterBytes,
    externalDataFiles: [...files],
    opsWithoutGradient: [...noGrad].sort(),
  };
}

function formatShape(s: (number | string)[] | null): string {
  return s ? `[${s.join(', ')}]` : '(unknown rank)';
}

export function formatSummary(s: ModelSummary): string {
  const lines = [
    `IR version ${s.irVersion}${s.producer ? `, produced by ${s.producer}` : ''}`,
    `Opsets: ${s.opsets.map((o) => `${o.domain} ${o.version}`).join(', ')}`,
    'Inputs:',
    ...s.inputs.map((v) => `  ${v.name}: ${v.type} ${formatShape(v.shape)}`),
    'Outputs:',
    ...s.outputs.map((v) => `  ${v.name}: ${v.type} ${formatShape(v.shape)}`),
    `Parameters: ${s.parameters.toLocaleString('en-US')} (${(s.parameterBytes / 2 ** 20).toFixed(2)} MiB)`,
  ];
  if (s.externalDataFiles.length) lines.push(`External data: ${s.externalDataFiles.join(', ')}`);
  lines.push(`Nodes: ${s.nodes}`);
  const width = Math.max(...Object.keys(s.ops).map((k) => k.length), 0);
  for (const [op, count] of Object.entries(s.ops)) lines.push(`  ${op.padEnd(width)} ${count}`);
  lines.push(
    s.opsWithoutGradient.length
      ? `Ops without a gradient rule: ${s.opsWithoutGradient.join(', ')}`
      : 'Every op has a gradient rule.',
  );
  return `${lines.join('\n')}\n`;
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'inspect') {
    process.stderr.write(USAGE);
    return 2;
  }
  const json = rest.includes('--json');
  const files = rest.filter((a) => a !== '--json');
  if (files.length !== 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const file = files[0]!;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new Error(`cannot read ${file}: ${messageOf(err)}`);
  }
  let model: ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (err) {
    throw new Error(`${file} is not a readable ONNX model (${messageOf(err)})`);
  }
  const summary = summarizeModel(model);
  process.stdout.write(json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  return 0;
}
