import type { SalientRegion, SaliencyMap } from '../lib/colormap/regions.ts';

/** Outlines and rank numbers of the top salient regions, over a box the size of the whole photo. */
export function RegionOutlines({ regions, saliency }: { regions: SalientRegion[]; saliency: SaliencyMap }) {
  return (
    <div className="heatmap__outlines" aria-hidden="true" data-testid="region-outlines">
      <svg viewBox={`0 0 ${saliency.width} ${saliency.height}`} preserveAspectRatio="none">
        {regions.map((r) => (
          <path
            key={r.rank}
            d={segmentsToPath(r.segments)}
            vectorEffect="non-scaling-stroke"
            className="heatmap__outline"
          />
        ))}
      </svg>
      {regions.map((r) => (
        <span
          key={r.rank}
          className="heatmap__rank"
          data-testid="region-rank"
          style={{
            left: `${(r.box.x0 / saliency.width) * 100}%`,
            top: `${(r.box.y0 / saliency.height) * 100}%`,
          }}
        >
          {r.rank}
        </span>
      ))}
    </div>
  );
}

/** SVG path data for [x0, y0, x1, y1, …] segments. */
function segmentsToPath(segments: Float32Array): string {
  const parts: string[] = [];
  for (let i = 0; i + 3 < segments.length; i += 4) {
    parts.push(
      `M${segments[i]!.toFixed(2)} ${segments[i + 1]!.toFixed(2)}L${segments[i + 2]!.toFixed(2)} ${segments[i + 3]!.toFixed(2)}`,
    );
  }
  return parts.join('');
}
