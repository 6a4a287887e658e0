import { heatmapLegend, legendGradient } from '../lib/colormap/legend.ts';
import type { ColormapName } from '../lib/colormap/luts.ts';
import type { CompositeMode } from '../lib/colormap/renderer.ts';

/** Low/high key of the heatmap; the ramp sits on a neutral photo-grey, as the overlay sits on the photo. */
export function HeatmapLegend({ colormap, mode }: { colormap: ColormapName; mode: CompositeMode }) {
  const legend = heatmapLegend(colormap, mode);
  return (
    <div className="legend" data-testid="heatmap-legend">
      <span className="legend__label">{legend.low}</span>
      <span className="legend__bar" style={{ backgroundImage: legendGradient(legend) }} aria-hidden="true" />
      <span className="legend__label">{legend.high}</span>
    </div>
  );
}
