import { useEffect } from 'react';
import { isTypingTarget } from '../../lib/cull/keys.ts';
import { useCompare } from '../../state/compare.ts';

/** C compares two photos, N surveys several, Esc goes back to the loupe (as in Lightroom). */
export function useCompareKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTypingTarget(e.target)) return;
      if (document.querySelector('[aria-modal="true"]')) return;
      const { layout, setLayout } = useCompare.getState();
      const key = e.key.toLowerCase();
      const next = key === 'c' ? 'compare' : key === 'n' ? 'survey' : key === 'escape' ? 'loupe' : null;
      if (!next || (next === 'loupe' && layout === 'loupe')) return;
      e.preventDefault();
      setLayout(next === layout ? 'loupe' : next);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
