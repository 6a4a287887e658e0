// The photographer's verdict on each photo: stars, pick/reject flag and colour label, keyed by
// photo id. Kept apart from the analysis results so rating never disturbs the queue.
import { create } from 'zustand';
import { COLOUR_LABELS, type ColourLabel, type Cull, type Flag, type Rating } from '../lib/cull/types.ts';

export const NO_CULL: Cull = { rating: 0, flag: 'none', label: 'none' };

export interface CullingState {
  byId: Record<string, Cull>;
  setRating(id: string, rating: Rating): void;
  setFlag(id: string, flag: Flag): void;
  /** Sets the label, or clears it when the photo already has it (as Lightroom's 6–9 keys do). */
  toggleLabel(id: string, label: Exclude<ColourLabel, 'none'>): void;
  /**
   * A culling key for several photos at once (as Lightroom rates every selected photo): stars and
   * flag are set on all; the label is set on all, or cleared from all when all have it.
   */
  cullAll(ids: readonly string[], change: ManyChange): void;
  /** Replaces everything (restoring a saved session, clearing one). */
  replaceAll(byId: Record<string, Cull>): void;
}

export type ManyChange = { rating: Rating } | { flag: Flag } | { label: Exclude<ColourLabel, 'none'> };

export const useCulling = create<CullingState>()((set) => {
  const patch = (id: string, change: Partial<Cull>): void =>
    set((s) => ({ byId: { ...s.byId, [id]: { ...(s.byId[id] ?? NO_CULL), ...change } } }));
  return {
    byId: {},
    setRating: (id, rating) => patch(id, { rating }),
    setFlag: (id, flag) => patch(id, { flag }),
    toggleLabel: (id, label) =>
      set((s) => {
        const current = s.byId[id] ?? NO_CULL;
        return { byId: { ...s.byId, [id]: { ...current, label: current.label === label ? 'none' : label } } };
      }),
    cullAll: (ids, change) =>
      set((s) => {
        const all = 'label' in change && ids.every((id) => cullOf(s.byId, id).label === change.label);
        const next = all ? { label: 'none' as const } : change;
        const byId = { ...s.byId };
        for (const id of ids) byId[id] = { ...cullOf(s.byId, id), ...next };
        return { byId };
      }),
    replaceAll: (byId) => set({ byId }),
  };
});

/** The cull of one photo (unrated, unflagged, unlabelled when never touched). */
export const cullOf = (byId: Record<string, Cull>, id: string): Cull => byId[id] ?? NO_CULL;

export { COLOUR_LABELS };
