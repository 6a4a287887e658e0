import { useEffect, useRef } from 'react';
import { CLIP_HIGHLIGHT, CLIP_SHADOW, type AttributeDetails, type ClipMask } from '../../../models/attributes/index.ts';
import type { MeasuredFacts } from '../../state/photos.ts';

/** Paint colours of the clipping view: highlights red, shadows blue, as in Lightroom. */
export const CLIP_COLOURS = { highlight: [255, 0, 0], shadow: [0, 64, 255] } as const;

export interface OverlayLayers {
  clipping: boolean;
  sharpness: boolean;
  guides: boolean;
}

function ClipCanvas({ mask }: { mask: ClipMask }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    canvas.width = mask.width;
    canvas.height = mask.height;
    const image = ctx.createImageData(mask.width, mask.height);
    for (let i = 0; i < mask.data.length; i++) {
      const flag = mask.data[i]!;
      const colour = flag & CLIP_HIGHLIGHT ? CLIP_COLOURS.highlight : flag & CLIP_SHADOW ? CLIP_COLOURS.shadow : null;
      if (!colour) continue;
      image.data.set([...colour, 255], i * 4);
    }
    ctx.putImageData(image, 0, 0);
  }, [mask]);
  return <canvas ref={ref} className="overlay__clip" data-testid="clip-overlay" aria-hidden="true" />;
}

/** Soft cells dimmed, the sharpest left clear: log of each cell's variance against the sharpest cell's. */
function SharpnessGrid({ grid }: { grid: readonly number[] }) {
  const logs = grid.map((v) => Math.log1p(v));
  const max = Math.max(...logs) || 1;
  return (
    <svg
      className="overlay__svg"
      viewBox="0 0 8 8"
      preserveAspectRatio="none"
      aria-hidden="true"
      data-testid="sharpness-overlay"
    >
      {logs.map((l, i) => (
        <rect
          key={i}
          x={i % 8}
          y={Math.floor(i / 8)}
          width={1}
          height={1}
          className="overlay__cell"
          style={{ fillOpacity: 0.7 * (1 - l / max) }}
        />
      ))}
    </svg>
  );
}

function Guides({ measurement }: { measurement: MeasuredFacts }) {
  const { width, height } = measurement;
  const { saliencyCentroid: c, horizonTilt: tilt, horizonY } = measurement.attributes.composition;
  const w = 1000;
  const h = (1000 * height) / width;
  const slope = tilt === null ? 0 : Math.tan((tilt * Math.PI) / 180);
  return (
    <svg
      className="overlay__svg"
      viewBox={`0 0 ${w} ${h}`}
      preserveAspectRatio="none"
      aria-hidden="true"
      data-testid="guides-overlay"
    >
      {[1, 2].map((k) => (
        <g key={k} className="overlay__thirds">
          <line x1={(k * w) / 3} y1={0} x2={(k * w) / 3} y2={h} vectorEffect="non-scaling-stroke" />
          <line x1={0} y1={(k * h) / 3} x2={w} y2={(k * h) / 3} vectorEffect="non-scaling-stroke" />
        </g>
      ))}
      {tilt !== null && horizonY !== null && (
        <g className="overlay__horizon" data-testid="horizon-line">
          <line
            x1={0}
            y1={horizonY * h + (w / 2) * slope}
            x2={w}
            y2={horizonY * h - (w / 2) * slope}
            vectorEffect="non-scaling-stroke"
          />
          <text x={w - 12} y={horizonY * h - (w / 2 - 12) * slope - 10} textAnchor="end">
            {tilt.toFixed(1)}°
          </text>
        </g>
      )}
      {c && (
        <g className="overlay__centroid" data-testid="centroid-marker">
          <circle cx={c[0] * w} cy={c[1] * h} r={14} vectorEffect="non-scaling-stroke" />
          <line x1={c[0] * w - 22} y1={c[1] * h} x2={c[0] * w + 22} y2={c[1] * h} vectorEffect="non-scaling-stroke" />
          <line x1={c[0] * w} y1={c[1] * h - 22} x2={c[0] * w} y2={c[1] * h + 22} vectorEffect="non-scaling-stroke" />
        </g>
      )}
    </svg>
  );
}

/**
 * The analysis layers drawn over the photo (not over the heatmap half in side-by-side); the clipping
 * and sharpness layers once their mask and grid are in memory.
 */
export function AnalysisOverlay({
  measurement,
  clipMask,
  details,
  layers,
}: {
  measurement: MeasuredFacts;
  clipMask: ClipMask | undefined;
  details: AttributeDetails | undefined;
  layers: OverlayLayers;
}) {
  return (
    <>
      {layers.sharpness && details && <SharpnessGrid grid={details.sharpnessGrid} />}
      {layers.clipping && clipMask && <ClipCanvas mask={clipMask} />}
      {layers.guides && <Guides measurement={measurement} />}
    </>
  );
}
