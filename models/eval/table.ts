// The final metrics as a Markdown table laid out like the paper's Table I: one row per method,
// columns BLEU-1..4, METEOR, ROUGE-L, CIDEr, SPICE, SPICE-L, Precision, Recall. SPICE and SPICE-L
// are printed as n/a (not computable here, see models/metrics/README.md). Values are in
// pycocoevalcap's scale (0–1, CIDEr unscaled), three decimals.
import { METRIC_NAMES, UNAVAILABLE_METRICS, type MetricName, type MetricScores } from '../metrics/index.ts';

// Table I puts the SPICE columns right after CIDEr; the computed metrics keep the paper's order.
const AFTER_CIDER = METRIC_NAMES.indexOf('CIDEr') + 1;

export const TABLE_I_COLUMNS: readonly (MetricName | keyof typeof UNAVAILABLE_METRICS)[] = [
  ...METRIC_NAMES.slice(0, AFTER_CIDER),
  ...(Object.keys(UNAVAILABLE_METRICS) as (keyof typeof UNAVAILABLE_METRICS)[]),
  ...METRIC_NAMES.slice(AFTER_CIDER),
];

export interface TableRow {
  method: string;
  metrics: MetricScores;
}

export function formatTableI(dataset: string, rows: readonly TableRow[], images: number): string {
  const known = new Set<string>(METRIC_NAMES);
  const header = `| Method | ${TABLE_I_COLUMNS.join(' | ')} |`;
  const rule = `|${' --- |'.repeat(TABLE_I_COLUMNS.length + 1)}`;
  const body = rows.map(({ method, metrics }) => {
    const cells = TABLE_I_COLUMNS.map((c) => (known.has(c) ? metrics[c as keyof MetricScores].toFixed(3) : 'n/a'));
    return `| ${method} | ${cells.join(' | ')} |`;
  });
  return [`**${dataset}** (${images} images)`, '', header, rule, ...body, ''].join('\n');
}
