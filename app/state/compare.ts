// Whether the studio's main area shows one photo (the loupe), two side by side (compare, C) or
// several in a grid (survey, N), and which gallery photos are chosen for them.
import { create } from 'zustand';

export type StudioLayout = 'loupe' | 'compare' | 'survey';

export interface CompareState {
  layout: StudioLayout;
  /** Photos chosen (Ctrl/Cmd-click, Shift ranges, taps in choose mode), in the order chosen: compare and survey show them. */
  chosen: string[];
  /** Where a Shift range starts: the photo last clicked or chosen alone. */
  anchor: string | null;
  /** Choose mode (for touch, where there is no Ctrl key): a tap chooses or unchooses a photo. */
  choosing: boolean;
  /** The photos compare or survey shows now (none in the loupe): the analysis queue keeps them decoded. */
  shown: string[];
  setLayout(layout: StudioLayout): void;
  toggleChosen(id: string): void;
  /** Chooses exactly these photos, a Shift range from `anchor`. */
  chooseRange(ids: string[], anchor: string | null): void;
  /** Chooses nothing; the range starts at `anchor` from now on. */
  chooseNone(anchor: string | null): void;
  setChoosing(choosing: boolean): void;
  setShown(ids: string[]): void;
}

export const useCompare = create<CompareState>()((set) => ({
  layout: 'loupe',
  chosen: [],
  anchor: null,
  choosing: false,
  shown: [],
  setLayout: (layout) => set({ layout }),
  toggleChosen: (id) =>
    set((s) => ({
      chosen: s.chosen.includes(id) ? s.chosen.filter((c) => c !== id) : [...s.chosen, id],
      anchor: id,
    })),
  chooseRange: (ids, anchor) => set({ chosen: ids, anchor }),
  chooseNone: (anchor) => set((s) => (s.chosen.length === 0 && s.anchor === anchor ? s : { chosen: [], anchor })),
  setChoosing: (choosing) => set({ choosing }),
  setShown: (ids) => set((s) => (s.shown.join() === ids.join() ? s : { shown: ids })),
}));
