import type { ExposureFacts, Histograms } from '../../../models/attributes/index.ts';

const HEIGHT = 80;

/** Bin heights scaled to the second-highest bin, so one spike (a clipped sky) does not flatten the rest. */
function scaleOf(bins: readonly number[]): number {
  const sorted = [...bins].sort((a, b) => b - a);
  return sorted[1]! > 0 ? sorted[1]! : sorted[0]! || 1;
}

function path(bins: readonly number[], scale: number, closed: boolean): string {
  const ys = bins.map((v) => HEIGHT - Math.min(1, v / scale) * HEIGHT);
  const line = ys.map((y, i) => `${i === 0 ? 'M' : 'L'}${i + 0.5} ${y.toFixed(2)}`).join('');
  return closed ? `M0.5 ${HEIGHT}${line.replace(/^M/, 'L')}L255.5 ${HEIGHT}Z` : line;
}

/** Luma histogram (filled) with the R, G, B ones as lines; the clipping zones ≤ 5 and ≥ 250 marked. */
export function Histogram({ exposure, histogram }: { exposure: ExposureFacts; histogram: Histograms }) {
  const { luma, red, green, blue } = histogram;
  const scale = scaleOf(luma);
  return (
    <svg
      className="histogram"
      viewBox={`0 0 256 ${HEIGHT}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`Histogram: highlights clipped on ${(100 * exposure.clippedHighlights).toFixed(1)} %, shadows on ${(100 * exposure.clippedShadows).toFixed(1)} %`}
      data-testid="histogram"
    >
      <rect className="histogram__clip histogram__clip--shadows" x={0} y={0} width={6} height={HEIGHT} />
      <rect className="histogram__clip histogram__clip--highlights" x={250} y={0} width={6} height={HEIGHT} />
      <path className="histogram__luma" d={path(luma, scale, true)} />
      <path className="histogram__channel histogram__channel--r" d={path(red, scaleOf(red), false)} />
      <path className="histogram__channel histogram__channel--g" d={path(green, scaleOf(green), false)} />
      <path className="histogram__channel histogram__channel--b" d={path(blue, scaleOf(blue), false)} />
    </svg>
  );
}
