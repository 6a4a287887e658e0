import { useEffect, useMemo } from 'react';
import { choiceAnnouncement } from '../../lib/loupe/choiceWords.ts';
import { useCompare } from '../../state/compare.ts';
import { usePhotos } from '../../state/photos.ts';
import { useComparedPhotos } from './useComparedPhotos.ts';
import './choice.css';

/** Choose mode on and off: the touch way to choose photos (a tap chooses), where there is no Ctrl key. */
export function ChooseToggle() {
  const choosing = useCompare((s) => s.choosing);
  const setChoosing = useCompare((s) => s.setChoosing);
  return (
    <button
      type="button"
      className="button button--ghost button--small"
      aria-pressed={choosing}
      title="Tap photos to choose them for compare or survey (or Ctrl/⌘-click, Shift-click)"
      onClick={() => setChoosing(!choosing)}
    >
      Select
    </button>
  );
}

/** The views of several chosen photos, with the key that opens each. */
const VIEWS = [
  { layout: 'compare', label: 'Compare', key: 'C' },
  { layout: 'survey', label: 'Survey', key: 'N' },
] as const;

/**
 * How many photos are chosen, with Compare, Survey and Clear as buttons (for touch, where there is
 * no C or N key), and a polite live region that says what is chosen and which view is shown.
 */
export function ChoiceBar() {
  const layout = useCompare((s) => s.layout);
  const chosenIds = useCompare((s) => s.chosen);
  const choosing = useCompare((s) => s.choosing);
  const { setLayout, chooseNone, setChoosing } = useCompare.getState();
  const photos = usePhotos((s) => s.photos);
  const held = useMemo(() => {
    const ids = new Set(photos.map((p) => p.id));
    return chosenIds.filter((id) => ids.has(id));
  }, [photos, chosenIds]);
  const chosen = held.length;
  // A removed photo leaves the choice (the gallery marks the current photo selected when none is chosen).
  useEffect(() => {
    if (held.length < chosenIds.length) useCompare.getState().chooseRange(held, useCompare.getState().anchor);
  }, [held, chosenIds]);
  const shown = useComparedPhotos(layout);
  const names = useMemo(() => shown.map((p) => p.fileName), [shown]);
  const message = choiceAnnouncement({ layout, chosen, shown: names });
  const open = (next: 'compare' | 'survey'): void => {
    setChoosing(false);
    setLayout(next);
    // On a phone or tablet the view is above the gallery, often scrolled out of sight.
    requestAnimationFrame(() => {
      const view = document.querySelector('[data-testid="compare-view"]');
      const box = view?.getBoundingClientRect();
      if (box && (box.top < 0 || box.top > window.innerHeight - 100)) view!.scrollIntoView({ block: 'start' });
    });
  };
  return (
    <>
      {(chosen > 0 || choosing) && (
        <div className="choice" role="group" aria-label="Chosen photos" data-testid="choice-bar">
          <span className="choice__count">{chosen === 0 ? 'Tap photos to choose them' : `${chosen} chosen`}</span>
          {chosen > 0 && (
            <button type="button" className="button button--ghost button--small" onClick={() => chooseNone(null)}>
              Clear
            </button>
          )}
          <div className="choice__actions">
            {VIEWS.map(({ layout: view, label, key }) => (
              <button
                key={view}
                type="button"
                className="button button--small"
                aria-keyshortcuts={key}
                disabled={chosen < 2}
                onClick={() => open(view)}
              >
                {label}
              </button>
            ))}
          </div>
        </div>
      )}
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="choice-announcement">
        {message}
      </p>
    </>
  );
}
