// What the heatmap's colours mean, shared by the on-screen legend and the exported PNG's legend
// strip: the ramp the viewer draws (colour with the weight it is blended by) and its two labels.
import { colormapRgb, type ColormapName } from './luts.ts';
import { heatWeight, spotlightShade, type CompositeMode } from './renderer.ts';

export interface LegendStop {
  /** Position along the ramp, 0 (low saliency) to 1 (high). */
  t: number;
  rgb: [number, number, number];
  /** How strongly the colour covers the photo at full opacity, 0..1. */
  alpha: number;
}

export interface Legend {
  low: string;
  high: string;
  stops: LegendStop[];
}

export function heatmapLegend(colormap: ColormapName, mode: CompositeMode, count = 11): Legend {
  const stops: LegendStop[] = [];
  for (let i = 0; i < count; i++) {
    const t = i / (count - 1);
    stops.push(
      mode === 'spotlight'
        ? { t, rgb: [0, 0, 0], alpha: spotlightShade(t) }
        : {
            t,
            rgb: colormapRgb(colormap, t).map((c) => Math.round(c * 255)) as [number, number, number],
            alpha: heatWeight(t),
          },
    );
  }
  return mode === 'spotlight'
    ? { low: 'Low saliency: dimmed', high: 'High: as shot', stops }
    : { low: 'Low saliency: photo unchanged', high: 'High', stops };
}

/** The ramp as a CSS gradient, to be drawn over a background that stands for the photo. */
export function legendGradient(legend: Legend): string {
  const parts = legend.stops.map(
    (s) => `rgb(${s.rgb[0]} ${s.rgb[1]} ${s.rgb[2]} / ${s.alpha.toFixed(3)}) ${(s.t * 100).toFixed(1)}%`,
  );
  return `linear-gradient(90deg, ${parts.join(', ')})`;
}
