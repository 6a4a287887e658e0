// What a heatmap composite is made of, shared by the WebGL2 renderer and its 2D fallback: the
// modes and their parameters, how saliency weighs the heat, and the part of the photo in view.
import type { ColormapName } from './luts.ts';
import type { Rect } from '../loupe/view.ts';
import type { SaliencyMap } from './regions.ts';

export const COMPOSITE_MODES = ['overlay', 'spotlight', 'side-by-side', 'swipe'] as const;
/** Overlay colours the salient parts; spotlight dims the rest; side by side and swipe compare with the photo. */
export type CompositeMode = (typeof COMPOSITE_MODES)[number];

export interface CompositeParams {
  colormap: ColormapName;
  /** Heatmap opacity (spotlight: how far the rest is dimmed), 0..1. */
  opacity: number;
  mode: CompositeMode;
  /** Swipe divider, 0..1 from the left: the heatmap is shown left of it. */
  split: number;
}

export type PhotoSource = ImageBitmap | HTMLImageElement | HTMLCanvasElement;

export interface HeatmapRenderer {
  readonly kind: 'webgl2' | '2d';
  /** Largest photo side the renderer can hold without downscaling. */
  readonly maxSide: number;
  /** The photo, or the part `region` of it (photo-normalised; the whole photo when omitted). */
  setPhoto(photo: PhotoSource, region?: Rect): void;
  setSaliency(map: SaliencyMap | null): void;
  /** Draws the part `view` of the photo (the whole photo when omitted) into the canvas at its current size. */
  render(params: CompositeParams, view?: Rect): void;
  dispose(): void;
}

/**
 * The heat's weight (before opacity) rises from 0 at HEAT_FLOOR to 1 at HEAT_FULL, so a pixel whose
 * saliency is at or below HEAT_FLOOR keeps the photo's colour exactly.
 */
export const HEAT_FLOOR = 0.2;
export const HEAT_FULL = 0.7;
/** Spotlight at full opacity keeps this much of the light where saliency is low. */
export const SPOTLIGHT_FLOOR = 0.15;

/** Same weighting as the shader's smoothstep. */
export function heatWeight(s: number): number {
  const t = Math.min(1, Math.max(0, (s - HEAT_FLOOR) / (HEAT_FULL - HEAT_FLOOR)));
  return t * t * (3 - 2 * t);
}

/** Spotlight: how much a pixel is darkened (before opacity), the complement of its heat weight. */
export function spotlightShade(s: number): number {
  return (1 - SPOTLIGHT_FLOOR) * (1 - heatWeight(s));
}

/** Canvas size (in photo pixels × scale) a mode needs: side by side is two photos wide. */
export function compositeSize(mode: CompositeMode, width: number, height: number): { width: number; height: number } {
  return mode === 'side-by-side' ? { width: width * 2, height } : { width, height };
}
