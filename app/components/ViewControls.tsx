import { useId } from 'react';
import { COLORMAP_LABELS } from '../lib/colormap/luts.ts';
import { COLORMAPS, useSettings, VIEW_MODES, type ViewMode } from '../state/settings.ts';

const MODE_LABELS: Record<ViewMode, string> = {
  overlay: 'Overlay',
  spotlight: 'Spotlight',
  'side-by-side': 'Side by side',
  swipe: 'Swipe',
};

/** Opacity, colormap, view mode and outlines. Each change is a uniform update, not a re-render of pixels. */
export function ViewControls() {
  const opacity = useSettings((s) => s.opacity);
  const colormap = useSettings((s) => s.colormap);
  const viewMode = useSettings((s) => s.viewMode);
  const outlines = useSettings((s) => s.outlines);
  const set = useSettings((s) => s.set);
  const opacityId = useId();
  const colormapId = useId();
  const outlinesId = useId();

  return (
    <div className="view-controls" role="group" aria-label="Heatmap display">
      <div className="control">
        <label htmlFor={opacityId}>{viewMode === 'spotlight' ? 'Dimming' : 'Opacity'}</label>
        <input
          id={opacityId}
          type="range"
          min={0}
          max={100}
          step={1}
          value={Math.round(opacity * 100)}
          aria-valuetext={`${Math.round(opacity * 100)}%`}
          onChange={(e) => set('opacity', Number(e.target.value) / 100)}
        />
        <output htmlFor={opacityId} className="control__value">
          {Math.round(opacity * 100)}%
        </output>
      </div>
      <div className="control">
        <label htmlFor={colormapId}>Colormap</label>
        <select
          id={colormapId}
          value={colormap}
          disabled={viewMode === 'spotlight'}
          title={viewMode === 'spotlight' ? 'Spotlight dims instead of colouring' : undefined}
          onChange={(e) => {
            const next = COLORMAPS.find((c) => c === e.target.value);
            if (next) set('colormap', next);
          }}
        >
          {COLORMAPS.map((c) => (
            <option key={c} value={c}>
              {c === 'grey' ? 'Grey (dark = salient)' : COLORMAP_LABELS[c]}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="control segmented">
        <legend className="visually-hidden">View mode</legend>
        {VIEW_MODES.map((m) => (
          <label key={m} className={`segmented__option${viewMode === m ? ' segmented__option--on' : ''}`}>
            <input
              type="radio"
              name="view-mode"
              value={m}
              checked={viewMode === m}
              onChange={() => set('viewMode', m)}
            />
            {MODE_LABELS[m]}
          </label>
        ))}
      </fieldset>
      <div className="control control--check">
        <input id={outlinesId} type="checkbox" checked={outlines} onChange={(e) => set('outlines', e.target.checked)} />
        <label htmlFor={outlinesId}>Outline top regions</label>
      </div>
    </div>
  );
}
