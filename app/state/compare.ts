// Whether the studio's main area shows one photo (the loupe), two side by side (compare, C) or
// several in a grid (survey, N).
import { create } from 'zustand';

export type StudioLayout = 'loupe' | 'compare' | 'survey';

export interface CompareState {
  layout: StudioLayout;
  /** Photos chosen with Ctrl/Cmd-click, in the order chosen: compare and survey show them. */
  chosen: string[];
  setLayout(layout: StudioLayout): void;
  toggleChosen(id: string): void;
}

export const useCompare = create<CompareState>()((set) => ({
  layout: 'loupe',
  chosen: [],
  setLayout: (layout) => set({ layout }),
  toggleChosen: (id) =>
    set((s) => ({ chosen: s.chosen.includes(id) ? s.chosen.filter((c) => c !== id) : [...s.chosen, id] })),
}));
