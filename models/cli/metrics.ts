// `aeslens metrics --refs refs.json --cands cands.json [--json]`: the paper's caption metrics for
// candidate critiques against reference critiques.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { evaluateCaptions, METRIC_NAMES, UNAVAILABLE_METRICS, type MetricScores } from '../metrics/index.ts';
import { messageOf } from '../common/errors.ts';

export const USAGE = `Usage: aeslens metrics --refs refs.json --cands cands.json [--json]
  refs.json   {"<image id>": ["reference 1", "reference 2", ...], ...}
  cands.json  {"<image id>": "candidate", ...}
  --json      print one JSON object instead of a table
`;

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${what} file ${path}: ${messageOf(err)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${what} file ${path} is not valid JSON: ${messageOf(err)}`);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseReferences(data: unknown, path: string): Record<string, string[]> {
  if (!isRecord(data)) throw new Error(`${path}: expected an object {"<image id>": ["reference", ...]}`);
  const out: Record<string, string[]> = {};
  for (const [id, refs] of Object.entries(data)) {
    if (!Array.isArray(refs) || refs.some((r) => typeof r !== 'string')) {
      throw new Error(`${path}: image "${id}" must map to an array of reference strings`);
    }
    out[id] = refs as string[];
  }
  return out;
}

export function parseCandidates(data: unknown, path: string): Record<string, string> {
  if (!isRecord(data)) throw new Error(`${path}: expected an object {"<image id>": "candidate"}`);
  const out: Record<string, string> = {};
  for (const [id, cand] of Object.entries(data)) {
    if (typeof cand !== 'string') throw new Error(`${path}: image "${id}" must map to one candidate string`);
    out[id] = cand;
  }
  return out;
}

/** A two-column text table of the metrics, then the metrics we cannot compute. */
export function formatMetricsTable(metrics: MetricScores, images: number): string {
  const rows = METRIC_NAMES.map((name) => `${name.padEnd(10)} ${metrics[name].toFixed(4).padStart(8)}`);
  const missing = Object.entries(UNAVAILABLE_METRICS).map(
    ([name, why]) => `${name.padEnd(10)} ${'n/a'.padStart(8)}  (${why})`,
  );
  return [`Metric     ${'Score'.padStart(8)}   (${images} images)`, ...rows, ...missing].join('\n') + '\n';
}

export async function run(args: string[]): Promise<number> {
  let values: { refs?: string; cands?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        refs: { type: 'string' },
        cands: { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`aeslens metrics: ${messageOf(err)}\n\n${USAGE}`);
    return 2;
  }
  if (!values.refs || !values.cands) {
    process.stderr.write(`aeslens metrics: --refs and --cands are required\n\n${USAGE}`);
    return 2;
  }
  const refs = parseReferences(await readJson(values.refs, 'references'), values.refs);
  const cands = parseCandidates(await readJson(values.cands, 'candidates'), values.cands);
  const { metrics } = evaluateCaptions(refs, cands);
  process.stdout.write(
    values.json ? `${JSON.stringify(metrics)}\n` : formatMetricsTable(metrics, Object.keys(refs).length),
  );
  return 0;
}
