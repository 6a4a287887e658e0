import { useMemo } from 'react';
import { EvaluateExport } from '../components/evaluate/EvaluateExport.tsx';
import { EvaluateInputs } from '../components/evaluate/EvaluateInputs.tsx';
import { MetricsTable } from '../components/evaluate/MetricsTable.tsx';
import { PhotoResults } from '../components/evaluate/PhotoResults.tsx';
import { useRunResults } from '../components/evaluate/useRunResults.ts';
import '../components/evaluate/evaluate.css';
import { describePack } from '../components/packInfo.ts';
import { matchPhotos } from '../lib/evaluate/references.ts';
import { buildReport, isSettled, scoreResults } from '../lib/evaluate/results.ts';
import { useEvaluation } from '../state/evaluation.ts';
import { useModels } from '../state/models.ts';

/** Critiques of a folder of photos scored against reference critiques with the paper's metrics. */
export function Evaluate() {
  const photos = useEvaluation((s) => s.photos);
  const references = useEvaluation((s) => s.references);
  const run = useEvaluation((s) => s.run);
  const active = useModels((s) => s.active);
  const results = useRunResults();
  const settled = run !== null && isSettled(results);
  const matched = references ? matchPhotos(photos, references.items).matched.length : 0;

  const scored = useMemo(() => (settled ? scoreResults(results) : null), [settled, results]);
  const report = useMemo(
    () =>
      run && scored
        ? buildReport({
            createdAt: new Date().toISOString(),
            references: run.references,
            packs: run.packs,
            demo: run.demo,
            settings: run.settings,
            notes: run.notes,
            evaluation: scored.evaluation,
            photos: scored.photos,
          })
        : null,
    [run, scored],
  );

  const finished = results.filter((r) => r.state === 'done' || r.state === 'failed' || r.state === 'removed').length;
  const busy = run !== null && !settled;
  const canRun = matched > 0 && active !== null && !busy;

  return (
    <div className="evaluate">
      <div className="evaluate__head">
        <h1>Evaluate</h1>
        <p className="muted">
          Critique a set of photos and score the critiques against reference critiques with the paper&apos;s metrics
          (BLEU, METEOR, ROUGE-L, CIDEr, Precision, Recall). Photos run through the same models as the studio, on this
          device, and appear in the studio too.
        </p>
      </div>

      <EvaluateInputs />

      <div className="evaluate__run">
        <button
          type="button"
          className="button button--primary"
          disabled={!canRun}
          onClick={() => useEvaluation.getState().start()}
        >
          {run && settled ? 'Run again' : 'Run evaluation'}
        </button>
        {!active && <span className="muted">Choose models first (first-run panel or Models view).</span>}
        {active && run?.settings && (
          <span className="muted">
            {describePack(active.iasm)?.name} + {describePack(active.critic)?.name} · guidance{' '}
            {run.settings.guidance ? 'on' : 'off'}
            {run.settings.iasvit ? ' · IAS-ViT' : ''} · max {run.settings.maxNewTokens} tokens ·{' '}
            {run.settings.doSample ? 'sampling' : 'greedy'}
          </span>
        )}
      </div>

      {run && (
        <div className="evaluate__progress" aria-live="polite">
          <progress value={finished} max={results.length} aria-label="Evaluation progress" />
          <span data-testid="eval-progress">
            {settled ? 'Finished' : 'Running'}: {finished} of {results.length} photo{results.length === 1 ? '' : 's'}
          </span>
        </div>
      )}

      {scored && (
        <section className="evaluate__results" aria-label="Results">
          {scored.evaluation ? (
            <MetricsTable metrics={scored.evaluation.metrics} scored={report?.scored ?? 0} />
          ) : (
            <p className="alert" role="alert">
              <span>
                <strong>No metrics</strong>: no photo got a finished critique.
              </span>
            </p>
          )}
          {report && <EvaluateExport report={report} />}
        </section>
      )}

      {run && <PhotoResults photos={scored?.photos ?? results} />}
    </div>
  );
}
