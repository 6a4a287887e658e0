import { METRIC_NAMES, UNAVAILABLE_METRICS, type MetricScores } from '../../../models/metrics/index.ts';
import { formatMetric } from '../../lib/evaluate/results.ts';

/** Corpus-level metrics over the scored photos, plus the metrics that cannot be computed here and why. */
export function MetricsTable({ metrics, scored }: { metrics: MetricScores; scored: number }) {
  return (
    <table className="eval-metrics" aria-label="Metrics">
      <caption>
        Over {scored} photo{scored === 1 ? '' : 's'} · computed as pycocoevalcap does (0–1; CIDEr-D includes its ×10)
      </caption>
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {METRIC_NAMES.map((name) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td data-metric={name} data-value={metrics[name]}>
              {formatMetric(metrics[name])}
            </td>
          </tr>
        ))}
        {Object.entries(UNAVAILABLE_METRICS).map(([name, why]) => (
          <tr key={name} className="eval-metrics__unavailable">
            <th scope="row">{name}</th>
            <td data-metric={name}>
              <span className="eval-metrics__na">unavailable</span> <span className="muted">— {why}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
