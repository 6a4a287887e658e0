import { memo, useEffect, useId } from 'react';
import { readings, type Reading, type ReadingKey } from '../../../models/attributes/index.ts';
import type { Photo } from '../../state/photos.ts';
import { useSettings } from '../../state/settings.ts';
import { Histogram } from './Histogram.tsx';
import './analysis.css';

const SECTIONS: { title: string; keys: ReadingKey[] }[] = [
  { title: 'Exposure', keys: ['brightness', 'highlights', 'shadows', 'contrast'] },
  { title: 'Colour', keys: ['colourfulness'] },
  { title: 'Focus', keys: ['depth', 'noise'] },
  { title: 'Composition', keys: ['thirds', 'subject', 'horizon', 'symmetry'] },
];

function Lines({ items }: { items: Reading[] }) {
  return (
    <ul className="analysis__readings">
      {items.map((r) => (
        <li key={r.key} data-reading={r.key}>
          {r.text}
        </li>
      ))}
    </ul>
  );
}

function Toggle({
  setting,
  label,
  shortcut,
}: {
  setting: 'showClipping' | 'showSharpness' | 'showGuides';
  label: string;
  shortcut?: string;
}) {
  const value = useSettings((s) => s[setting]);
  const set = useSettings((s) => s.set);
  const id = useId();
  return (
    <div className="control control--check">
      <input
        id={id}
        type="checkbox"
        checked={value}
        onChange={(e) => set(setting, e.target.checked)}
        aria-keyshortcuts={shortcut}
      />
      <label htmlFor={id}>
        {label}
        {shortcut && <kbd className="analysis__key">{shortcut}</kbd>}
      </label>
    </div>
  );
}

/** J toggles the clipping view (as in Lightroom), except while typing in a field. */
function useClippingShortcut(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'j' && e.key !== 'J') return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      const { showClipping, set } = useSettings.getState();
      set('showClipping', !showClipping);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** The photographer's read-out: measured exposure, colour, focus and composition, each with a plain reading. */
export const AnalysisPanel = memo(function AnalysisPanel({ photo }: { photo: Photo }) {
  useClippingShortcut();
  const m = photo.measurement;
  const headingId = useId();
  return (
    <section className="analysis" aria-labelledby={headingId} data-testid="analysis">
      <h2 id={headingId} className="analysis__title">
        Analysis
      </h2>
      {!m ? (
        <p className="muted" role="status">
          {photo.measurementError
            ? `Not measured: ${photo.measurementError}`
            : photo.status === 'failed'
              ? 'Not measured.'
              : 'Measuring…'}
        </p>
      ) : (
        <AnalysisBody photo={photo} />
      )}
    </section>
  );
});

function AnalysisBody({ photo }: { photo: Photo }) {
  const m = photo.measurement!;
  const all = readings(m.attributes);
  const pick = (keys: ReadingKey[]): Reading[] => keys.flatMap((k) => all.filter((r) => r.key === k));
  const { exposure, colour } = m.attributes;
  return (
    <>
      <div className="analysis__section">
        <h3>Exposure</h3>
        {/* The histograms come back from the session database a moment after the photo is shown. */}
        {photo.details ? (
          <Histogram exposure={exposure} histogram={photo.details.histogram} />
        ) : (
          <div className="histogram" aria-busy="true" />
        )}
        <Lines items={pick(SECTIONS[0]!.keys)} />
        <Toggle setting="showClipping" label="Show clipping on the photo" shortcut="J" />
      </div>
      <div className="analysis__section">
        <h3>Colour</h3>
        <ul className="palette" aria-label="Dominant colours" data-testid="palette">
          {colour.palette.map((p) => (
            <li
              key={p.hex}
              className="palette__swatch"
              style={{ flexGrow: Math.max(p.share, 0.04) }}
              title={`${p.hex}: ${(100 * p.share).toFixed(1)} % of the photo`}
            >
              <span className="palette__chip" style={{ background: p.hex }} />
              <span className="palette__label">{Math.round(100 * p.share)} %</span>
              <span className="palette__label">{p.hex}</span>
            </li>
          ))}
        </ul>
        <Lines items={pick(SECTIONS[1]!.keys)} />
      </div>
      <div className="analysis__section">
        <h3>Focus</h3>
        <Lines items={pick(SECTIONS[2]!.keys)} />
        {!m.withSaliency && <p className="muted">Subject sharpness follows the heatmap.</p>}
        <Toggle setting="showSharpness" label="Sharpness overlay (soft areas dimmed)" />
      </div>
      <div className="analysis__section">
        <h3>Composition</h3>
        <Lines items={pick(SECTIONS[3]!.keys)} />
        <Toggle setting="showGuides" label="Thirds, subject centre and horizon on the photo" />
      </div>
      <p className="muted analysis__note">
        Measured on all {m.width} × {m.height} pixels in {Math.round(m.timings.decodeMs + m.timings.measureMs)} ms, on
        this device.
      </p>
    </>
  );
}
