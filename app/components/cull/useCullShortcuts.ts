import { useEffect } from 'react';
import { cullActionFor, isTypingTarget } from '../../lib/cull/keys.ts';
import { useCompare } from '../../state/compare.ts';
import { useCulling } from '../../state/culling.ts';
import { usePhotos } from '../../state/photos.ts';
import { useStacks } from '../../state/stacks.ts';

/**
 * Rating, flag and label keys act on the selected photo anywhere in the studio (on every photo
 * chosen in the gallery when several are), except while the user types in a field or a dialog is
 * open; `?` calls `onShortcuts`.
 */
export function useCullShortcuts(onShortcuts: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || isTypingTarget(e.target)) return;
      if (document.querySelector('[aria-modal="true"]')) return;
      const action = cullActionFor(e);
      if (!action) return;
      if (action.kind === 'shortcuts') {
        e.preventDefault();
        onShortcuts();
        return;
      }
      const { selectedId, photos } = usePhotos.getState();
      const id = selectedId ?? photos[0]?.id;
      if (!id) return;
      e.preventDefault();
      if (action.kind === 'stack') {
        useStacks.getState().toggle(id);
        return;
      }
      const culling = useCulling.getState();
      // Photos chosen in the gallery are rated together; compare and survey rate the photo in hand.
      const { layout, chosen } = useCompare.getState();
      const present = new Set(photos.map((p) => p.id));
      const many = layout === 'loupe' ? chosen.filter((c) => present.has(c)) : [];
      if (many.length > 1) {
        culling.cullAll(
          many,
          action.kind === 'rating'
            ? { rating: action.rating }
            : action.kind === 'flag'
              ? { flag: action.flag }
              : { label: action.label },
        );
      } else if (action.kind === 'rating') culling.setRating(id, action.rating);
      else if (action.kind === 'flag') culling.setFlag(id, action.flag);
      else culling.toggleLabel(id, action.label);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onShortcuts]);
}
