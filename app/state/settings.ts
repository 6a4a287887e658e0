// User preferences for viewing and critiquing; remembered in localStorage.
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { isColormapName, type ColormapName } from '../lib/colormap/luts.ts';
import { COMPOSITE_MODES, type CompositeMode } from '../lib/colormap/renderer.ts';

export type Colormap = ColormapName;
export type ViewMode = CompositeMode;
export { COLORMAPS } from '../lib/colormap/luts.ts';
export const VIEW_MODES: readonly ViewMode[] = COMPOSITE_MODES;

export interface Settings {
  colormap: Colormap;
  /** Heatmap opacity in overlay mode, 0..1. */
  opacity: number;
  viewMode: ViewMode;
  /** Swipe divider position, 0..1 from the left. */
  swipePosition: number;
  /** Outline the top salient regions. */
  outlines: boolean;
  /** Guide the critic with the saliency map. */
  guidance: boolean;
  /** Use the IAS-ViT vision encoder when the critic pack has fusion weights for it. */
  iasvit: boolean;
  /** Length limit of the critique in tokens. */
  maxNewTokens: number;
  /** Sample instead of greedy decoding. */
  doSample: boolean;
  /** Tell the critic the measured attributes (grounded critique). */
  grounding: boolean;
  /**
   * Write a critique for every photo once analysed. Off: only for the photo opened and those asked
   * for ("Write critiques for picks"), since a critique costs seconds each.
   */
  critiqueEvery: boolean;
  /** Paint clipped highlights and shadows on the photo. */
  showClipping: boolean;
  /** Tint the photo by the focus grid's sharpness. */
  showSharpness: boolean;
  /** Thirds grid, saliency centroid and horizon line over the photo. */
  showGuides: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  colormap: 'turbo',
  opacity: 0.6,
  viewMode: 'overlay',
  swipePosition: 0.5,
  outlines: false,
  guidance: true,
  iasvit: false,
  maxNewTokens: 128,
  doSample: false,
  grounding: true,
  critiqueEvery: false,
  showClipping: false,
  showSharpness: false,
  showGuides: false,
};

export interface SettingsState extends Settings {
  set<K extends keyof Settings>(key: K, value: Settings[K]): void;
  reset(): void;
}

function settingsOf(state: Settings): Settings {
  const settings = {} as Record<keyof Settings, unknown>;
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) settings[key] = state[key];
  return settings as Settings;
}

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

export const useSettings = create<SettingsState>()(
  persist<SettingsState, [], [], Settings>(
    (set) => ({
      ...DEFAULT_SETTINGS,
      set(key, value) {
        const fixed = key === 'opacity' || key === 'swipePosition' ? clamp01(value as number) : value;
        set({ [key]: fixed } as Pick<Settings, typeof key>);
      },
      reset() {
        set(DEFAULT_SETTINGS);
      },
    }),
    {
      name: 'aeslens-settings',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: settingsOf,
      // A stored value this version no longer offers (a dropped colormap) falls back to the default.
      merge: (stored, current) => {
        const saved = { ...(stored as Partial<Settings> | undefined) };
        if (saved.colormap !== undefined && !isColormapName(saved.colormap)) delete saved.colormap;
        if (saved.viewMode !== undefined && !VIEW_MODES.includes(saved.viewMode)) delete saved.viewMode;
        return { ...current, ...saved };
      },
    },
  ),
);

/** The current settings as plain data (for reports). */
export function currentSettings(): Settings {
  return settingsOf(useSettings.getState());
}
