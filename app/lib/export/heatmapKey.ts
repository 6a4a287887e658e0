// The heatmap legend in words, for the reports: the same low/high labels as the on-screen legend
// and the PNG's strip, what the colours and their transparency mean, and the scale they are on.
import { heatmapLegend } from '../colormap/legend.ts';
import { COLORMAP_LABELS, type ColormapName } from '../colormap/luts.ts';
import { HEAT_FLOOR, HEAT_FULL, SPOTLIGHT_FLOOR, type CompositeMode } from '../colormap/renderer.ts';

export interface HeatmapKey {
  mode: CompositeMode;
  /** Null in spotlight mode, which draws no colours. */
  colormap: ColormapName | null;
  low: string;
  high: string;
  /** What the colours (or the dimming) and their transparency mean. */
  meaning: string;
  scale: string;
}

/** The ramp of each colormap from low to high saliency. */
const RAMP_WORDS: Record<ColormapName, string> = {
  turbo: 'dark blue through green and yellow to dark red',
  inferno: 'black through purple and orange to pale yellow',
  grey: 'light grey to black (dark where salient, so it shows on bright photos)',
};

const pct = (v: number): string => `${Math.round(v * 100)}%`;

export function heatmapKey(colormap: ColormapName, mode: CompositeMode, opacity: number): HeatmapKey {
  const legend = heatmapLegend(colormap, mode);
  const scale =
    "Saliency scaled to the photo's own peak: 0 is the least salient, 1 the most salient spot (scores are not comparable between photos).";
  if (mode === 'spotlight')
    return {
      mode,
      colormap: null,
      low: legend.low,
      high: legend.high,
      meaning:
        `Spotlight: no colours; what is not salient is darkened, by up to ${pct(opacity * (1 - SPOTLIGHT_FLOOR))} ` +
        `at saliency ${pct(HEAT_FLOOR)} of the peak and below; from ${pct(HEAT_FULL)} of the peak the photo is as shot.`,
      scale,
    };
  return {
    mode,
    colormap,
    low: legend.low,
    high: legend.high,
    meaning:
      `${COLORMAP_LABELS[colormap]} colours, ${RAMP_WORDS[colormap]}, laid over the photo with a transparency that ` +
      `follows saliency: at ${pct(HEAT_FLOOR)} of the peak and below the photo is unchanged; from ${pct(HEAT_FULL)} ` +
      `of the peak the colour covers it at the chosen ${pct(opacity)} opacity.`,
    scale,
  };
}
