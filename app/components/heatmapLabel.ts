// The heatmap's accessible name: the photo, how the map is drawn, and where its top regions are.
import { COLORMAP_LABELS } from '../lib/colormap/luts.ts';
import type { CompositeParams } from '../lib/colormap/composite.ts';
import type { SalientRegion, SaliencyMap } from '../lib/colormap/regions.ts';

export function heatmapLabel(
  fileName: string,
  params: CompositeParams,
  saliency: SaliencyMap | null,
  regions: SalientRegion[] | null,
): string {
  if (!saliency) return `Aesthetic saliency heatmap of ${fileName}: not computed yet, showing the photo`;
  const regionSummary =
    regions && regions.length > 0
      ? `; top regions: ${regions
          .map((r) => {
            const cx = Math.round((((r.box.x0 + r.box.x1) / 2) * 100) / saliency.width);
            const cy = Math.round((((r.box.y0 + r.box.y1) / 2) * 100) / saliency.height);
            return `${r.rank} at ${cx}% across, ${cy}% down (${Math.round(r.share * 100)}% of saliency)`;
          })
          .join(', ')}`
      : '';
  const look =
    params.mode === 'spotlight'
      ? `spotlight dimming the rest by ${Math.round(params.opacity * 100)}%`
      : `${COLORMAP_LABELS[params.colormap]} colormap at ${Math.round(params.opacity * 100)}% opacity, ${params.mode} view`;
  return `Aesthetic saliency heatmap of ${fileName}: ${look}${regionSummary}; arrow keys read the saliency at a point`;
}
