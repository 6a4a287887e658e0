// Whether the studio's main area shows one photo (the loupe), two side by side (compare, C) or
// several in a grid (survey, N).
import { create } from 'zustand';

export type StudioLayout = 'loupe' | 'compare' | 'survey';

export interface CompareState {
  layout: StudioLayout;
  setLayout(layout: StudioLayout): void;
}

export const useCompare = create<CompareState>()((set) => ({
  layout: 'loupe',
  setLayout: (layout) => set({ layout }),
}));
