// The legend strip under an exported overlay: the same low/high ramp and words as on screen, drawn
// below the photo so the photo itself is not covered.
import { heatmapLegend } from '../colormap/legend.ts';
import type { CompositeParams } from '../colormap/renderer.ts';

/** Background of the strip and of the ramp (the grey the ramp's transparent end shows). */
export const STRIP_BACKGROUND = '#18191c';
export const RAMP_BACKGROUND = '#8a8a8a';

/** Height of the strip for an export `width` pixels wide. */
export function legendStripHeight(width: number): number {
  return Math.max(32, Math.round(width / 40));
}

/** Where the ramp lies inside a strip of this size (for drawing it and for checking it). */
export function rampBox(width: number, stripHeight: number): { x: number; y: number; width: number; height: number } {
  const rampWidth = Math.round(Math.min(width * 0.3, stripHeight * 12));
  const height = Math.round(stripHeight * 0.36);
  return {
    x: Math.round((width - rampWidth) / 2),
    y: Math.round((stripHeight - height) / 2),
    width: rampWidth,
    height,
  };
}

/** Draws the strip at (0, top), `width` wide. */
export function drawLegendStrip(
  ctx: CanvasRenderingContext2D,
  params: CompositeParams,
  top: number,
  width: number,
): void {
  const height = legendStripHeight(width);
  const legend = heatmapLegend(params.colormap, params.mode);
  const ramp = rampBox(width, height);
  ctx.save();
  ctx.translate(0, top);
  ctx.fillStyle = STRIP_BACKGROUND;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = RAMP_BACKGROUND;
  ctx.fillRect(ramp.x, ramp.y, ramp.width, ramp.height);
  const gradient = ctx.createLinearGradient(ramp.x, 0, ramp.x + ramp.width, 0);
  // The ramp shows the colours as the overlay blends them at the export's opacity.
  const opacity = params.opacity;
  for (const s of legend.stops) {
    gradient.addColorStop(s.t, `rgb(${s.rgb[0]} ${s.rgb[1]} ${s.rgb[2]} / ${(s.alpha * opacity).toFixed(3)})`);
  }
  ctx.fillStyle = gradient;
  ctx.fillRect(ramp.x, ramp.y, ramp.width, ramp.height);
  ctx.font = `500 ${Math.round(height * 0.4)}px system-ui, sans-serif`;
  ctx.fillStyle = '#e7e7ea';
  ctx.textBaseline = 'middle';
  const gap = Math.round(height * 0.3);
  ctx.textAlign = 'right';
  ctx.fillText(legend.low, ramp.x - gap, height / 2);
  ctx.textAlign = 'left';
  ctx.fillText(legend.high, ramp.x + ramp.width + gap, height / 2);
  ctx.restore();
}
