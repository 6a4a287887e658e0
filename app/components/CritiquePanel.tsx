import { memo, useId } from 'react';
import { iasvitStatus, NO_IASVIT_LABEL } from '../../models/packs/critic.ts';
import { effectiveCriticPack, useModels } from '../state/models.ts';
import { hasSaliency, usePhotos, type Photo } from '../state/photos.ts';
import { useSettings } from '../state/settings.ts';
import { criticFilesText } from './backendBadgeText.ts';
import { CritiqueText, useAttributes } from './CritiqueText.tsx';
import { formatMs, formatScore } from './format.ts';
import { describePack } from './packInfo.ts';
import { ScoreScale } from './analysis/ScoreScale.tsx';

/** Score, streaming critique with Stop / Regenerate, and the critic's settings. */
export function CritiquePanel({ photo }: { photo: Photo }) {
  const stopCritique = usePhotos((s) => s.stopCritique);
  const regenerate = usePhotos((s) => s.regenerateCritique);
  const activeIasm = useModels((s) => s.active?.iasm);
  const iasmPack = describePack(photo.packs?.iasm ?? activeIasm);
  const attributes = useAttributes(photo.critique);
  const headingId = useId();

  const streaming = photo.critiqueStatus === 'streaming' || photo.critiqueStatus === 'queued';
  const canRegenerate = hasSaliency(photo) && !streaming && photo.status !== 'analysing' && photo.status !== 'queued';

  return (
    <section className="critique" role="region" aria-label="Critique">
      <div className="score" data-testid="score">
        <span className="score__label">Aesthetic score</span>
        <span className="score__value">{formatScore(photo.score)}</span>
        <span className="score__scale">
          {iasmPack?.scoreLabel ?? 'scale set by the model pack'}
          {iasmPack?.fixture && ' — untrained demo model, not meaningful'}
        </span>
        <ScoreScale score={photo.score} {...(iasmPack?.scoreRange ? { range: iasmPack.scoreRange } : {})} />
      </div>

      <div className="critique__head">
        <h2 id={headingId} className="critique__title">
          Critique
        </h2>
        {photo.critiqueStatus === 'streaming' && photo.critiqueSpeed !== undefined && (
          <span className="critique__speed muted" data-testid="critique-speed">
            {photo.critiqueSpeed.toFixed(1)} tokens/s
          </span>
        )}
        <span className="critique__state" data-testid="critique-state">
          {critiqueStateText(photo)}
        </span>
      </div>

      <div
        className={`critique__text${streaming ? ' critique__text--streaming' : ''}`}
        aria-busy={streaming}
        data-testid="critique-text"
      >
        {photo.critique ? (
          <CritiqueText text={photo.critique} attributes={photo.measurement?.attributes} />
        ) : (
          <span className="muted">{emptyText(photo)}</span>
        )}
      </div>
      {photo.criticPrompt && (
        <details className="critique__prompt" data-testid="critic-prompt">
          <summary>What the critic was told</summary>
          <p>{photo.criticPrompt}</p>
        </details>
      )}
      {photo.critiqueError && (
        <p className="error" role="alert">
          {photo.fileName}: the critique failed — {photo.critiqueError}
        </p>
      )}

      {attributes.length > 0 && (
        <ul className="attr-legend" aria-label="Aesthetic attributes mentioned">
          {attributes.map((a) => (
            <li key={a} className={`attr attr--${a.replace(/\s+/g, '-')}`}>
              {a}
            </li>
          ))}
        </ul>
      )}

      <div className="critique__actions">
        {streaming ? (
          <button type="button" className="button" onClick={() => stopCritique(photo.id)}>
            Stop
          </button>
        ) : (
          <button type="button" className="button" disabled={!canRegenerate} onClick={() => regenerate(photo.id)}>
            Regenerate
          </button>
        )}
        {photo.timings.critiqueMs !== undefined && !streaming && (
          <span className="muted">Written in {formatMs(photo.timings.critiqueMs)}</span>
        )}
      </div>

      <CritiqueSettings />
    </section>
  );
}

function critiqueStateText(photo: Photo): string {
  switch (photo.critiqueStatus) {
    case 'queued':
      return 'waiting for the critic…';
    case 'streaming':
      return 'writing…';
    case 'stopped':
      return 'stopped';
    case 'failed':
      return 'failed';
    case 'done':
      return 'done';
    case 'idle':
      return '';
  }
}

function emptyText(photo: Photo): string {
  if (photo.status === 'failed') return 'No critique: the photo could not be analysed.';
  if (photo.critiqueStatus === 'stopped') return 'Stopped before any text was written.';
  if (photo.critiqueStatus === 'failed') return 'No critique was written; the reason is below.';
  if (photo.status === 'queued' || photo.status === 'analysing') return 'The critique starts after the heatmap.';
  if (photo.critiqueStatus === 'idle' && photo.status === 'done')
    return 'No critique written yet (each takes seconds): Regenerate writes one.';
  return 'The critique will appear here as it is written.';
}

// Memoised: it reads only settings, while the panel around it redraws for every streamed token.
const CritiqueSettings = memo(function CritiqueSettings() {
  const maxNewTokens = useSettings((s) => s.maxNewTokens);
  const doSample = useSettings((s) => s.doSample);
  const guidance = useSettings((s) => s.guidance);
  const grounding = useSettings((s) => s.grounding);
  const critiqueEvery = useSettings((s) => s.critiqueEvery);
  const iasvit = useSettings((s) => s.iasvit);
  const set = useSettings((s) => s.set);
  const criticId = useModels((s) => s.active?.critic);
  const localIasvit = useModels((s) => s.localIasvit);
  const criticPack = criticId ? effectiveCriticPack(criticId, localIasvit) : undefined;
  const filesLine = criticFilesText(useModels((s) => s.backends.critic));
  const iasvitState = criticPack ? iasvitStatus(criticPack) : { usable: false, label: NO_IASVIT_LABEL };
  const tokensId = useId();
  const sampleId = useId();
  const guidanceId = useId();
  const groundingId = useId();
  const everyId = useId();
  const iasvitId = useId();
  return (
    <details className="critique__settings">
      <summary>Critic settings</summary>
      <p className="muted">Apply to the next critique (use Regenerate).</p>
      <div className="control">
        <label
          htmlFor={tokensId}
          title="max_new_tokens: the most tokens the critic may write (a token is a word piece, about ¾ of a word)"
        >
          Length
        </label>
        <input
          id={tokensId}
          type="number"
          min={16}
          max={1024}
          step={16}
          value={maxNewTokens}
          onChange={(e) => {
            const v = Math.round(Number(e.target.value));
            if (Number.isFinite(v) && v >= 1) set('maxNewTokens', Math.min(1024, v));
          }}
        />
        <span className="muted">tokens at most</span>
      </div>
      <div className="control control--check">
        <input id={sampleId} type="checkbox" checked={doSample} onChange={(e) => set('doSample', e.target.checked)} />
        <label htmlFor={sampleId} title="Sampling (do_sample) instead of greedy decoding">
          Creativity: different wording each time (off: the same critique every time)
        </label>
      </div>
      <div className="control control--check">
        <input id={guidanceId} type="checkbox" checked={guidance} onChange={(e) => set('guidance', e.target.checked)} />
        <label
          htmlFor={guidanceId}
          title="Saliency guidance: crops of the most salient regions are added to the critic's input"
        >
          Show the critic close-ups of the salient regions
        </label>
      </div>
      <div className="control control--check">
        <input
          id={groundingId}
          type="checkbox"
          checked={grounding}
          onChange={(e) => set('grounding', e.target.checked)}
        />
        <label htmlFor={groundingId} title="Grounding: the measured facts are given in the prompt">
          Tell the critic the measured facts
        </label>
      </div>
      <div className="control control--check">
        <input
          id={everyId}
          type="checkbox"
          checked={critiqueEvery}
          onChange={(e) => set('critiqueEvery', e.target.checked)}
        />
        <label htmlFor={everyId} title="Off: a critique is written for the photo you open and those you ask for">
          Write a critique for every photo as it is analysed (seconds each)
        </label>
      </div>
      <div className="control control--check">
        <input
          id={iasvitId}
          type="checkbox"
          checked={iasvit && iasvitState.usable}
          disabled={!iasvitState.usable}
          aria-describedby={`${iasvitId}-status`}
          onChange={(e) => set('iasvit', e.target.checked)}
        />
        <label htmlFor={iasvitId} title="IAS-ViT: saliency cross-attention in the vision encoder">
          Saliency-aware encoder (the critic sees the photo weighted by the heatmap)
        </label>
      </div>
      <p id={`${iasvitId}-status`} className="muted" data-testid="iasvit-status">
        {iasvitState.label}
      </p>
      {filesLine && (
        <p className="muted" data-testid="critic-files">
          {filesLine}
        </p>
      )}
      {criticPack && (
        <p className="muted" data-testid="generation-settings">
          Decoding: {doSample ? 'sampling' : 'greedy'}, repetition penalty {criticPack.generation.repetitionPenalty}, up
          to {maxNewTokens} new tokens ({criticPack.generation.source}).
        </p>
      )}
    </details>
  );
});
