// The loupe's zoom and the photo point it is centred on. One for the studio: compare's two photos
// read the same one, so their zoom and pan stay locked together, and the next photo opens at the
// zoom the last one was left at (as Lightroom does).
import { create } from 'zustand';
import { FIT, type Loupe } from '../lib/loupe/view.ts';

export interface LoupeState {
  loupe: Loupe;
  setLoupe(loupe: Loupe): void;
}

export const useLoupe = create<LoupeState>()((set) => ({
  loupe: FIT,
  setLoupe: (loupe) => set({ loupe }),
}));
