import { downloadBlob } from '../../lib/export/download.ts';
import { reportMarkdown, type EvaluationReport } from '../../lib/evaluate/results.ts';

/** Downloads the run's results as JSON (everything, full precision) and as a Markdown table. */
export function EvaluateExport({ report }: { report: EvaluationReport }) {
  const stamp = report.createdAt.replace(/[:.]/g, '-');
  return (
    <div className="eval-export" role="group" aria-label="Export results">
      <button
        type="button"
        className="button"
        onClick={() =>
          downloadBlob(
            new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' }),
            `aeslens-evaluation-${stamp}.json`,
          )
        }
      >
        Export JSON
      </button>
      <button
        type="button"
        className="button"
        onClick={() =>
          downloadBlob(new Blob([reportMarkdown(report)], { type: 'text/markdown' }), `aeslens-evaluation-${stamp}.md`)
        }
      >
        Export Markdown
      </button>
      <p className="muted">JSON: every critique, score and metric at full precision. Markdown: Table I and photos.</p>
    </div>
  );
}
