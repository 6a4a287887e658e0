// The overlay exported as PNG at the photo's full resolution: the same WebGL2 composite the
// viewer shows, rendered into an off-screen canvas of the photo's size, plus region outlines, the
// swipe divider and, below the photo, the legend strip.
import type { SalientRegion, SaliencyMap } from '../colormap/regions.ts';
import { compositeSize, createHeatmapRenderer, type CompositeParams } from '../colormap/renderer.ts';
import { drawLegendStrip, legendStripHeight } from './legendStrip.ts';

export interface OverlayExport {
  blob: Blob;
  width: number;
  /** Photo height plus the legend strip's. */
  height: number;
  /** Set when the photo was larger than the GPU can hold and was scaled down. */
  scaledFrom?: { width: number; height: number };
}

/**
 * Decodes `file` at full size (EXIF orientation applied), composites it with `saliency` and
 * encodes a PNG. Side-by-side exports both halves; swipe exports the current split.
 */
export async function renderOverlayPng(
  file: Blob,
  saliency: SaliencyMap,
  params: CompositeParams,
  regions: SalientRegion[] | null,
): Promise<OverlayExport> {
  const probe = document.createElement('canvas');
  const { renderer } = createHeatmapRenderer(probe, { preserveDrawingBuffer: true });
  let bitmap: ImageBitmap | null = null;
  try {
    const original = await createImageBitmap(file, { imageOrientation: 'from-image' });
    const full = { width: original.width, height: original.height };
    const perPhotoMax = params.mode === 'side-by-side' ? Math.floor(renderer.maxSide / 2) : renderer.maxSide;
    const scale = Math.min(1, perPhotoMax / Math.max(full.width, full.height));
    if (scale < 1) {
      bitmap = await createImageBitmap(original, {
        resizeWidth: Math.round(full.width * scale),
        resizeHeight: Math.round(full.height * scale),
        resizeQuality: 'high',
      });
      original.close();
    } else {
      bitmap = original;
    }
    const size = compositeSize(params.mode, bitmap.width, bitmap.height);
    probe.width = size.width;
    probe.height = size.height;
    renderer.setPhoto(bitmap);
    renderer.setSaliency(saliency);
    renderer.render(params);

    const strip = legendStripHeight(size.width);
    const out = document.createElement('canvas');
    out.width = size.width;
    out.height = size.height + strip;
    const ctx = out.getContext('2d');
    if (!ctx) throw new Error('Export: no 2D canvas context');
    ctx.drawImage(probe, 0, 0);
    if (regions && regions.length > 0) {
      const offsetX = params.mode === 'side-by-side' ? bitmap.width : 0;
      drawOutlines(ctx, regions, saliency, offsetX, bitmap.width, bitmap.height);
    }
    if (params.mode === 'swipe') drawDivider(ctx, Math.round(params.split * size.width), size.height);
    drawLegendStrip(ctx, params, size.height, size.width);
    const blob = await new Promise<Blob>((resolve, reject) =>
      out.toBlob((b) => (b ? resolve(b) : reject(new Error('Export: the PNG could not be encoded'))), 'image/png'),
    );
    return {
      blob,
      width: size.width,
      height: size.height + strip,
      ...(scale < 1 ? { scaledFrom: compositeSize(params.mode, full.width, full.height) } : {}),
    };
  } finally {
    bitmap?.close();
    renderer.dispose();
  }
}

function drawOutlines(
  ctx: CanvasRenderingContext2D,
  regions: SalientRegion[],
  map: SaliencyMap,
  offsetX: number,
  width: number,
  height: number,
): void {
  const sx = width / map.width;
  const sy = height / map.height;
  const line = Math.max(2, Math.round(Math.max(width, height) / 500));
  ctx.save();
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  for (const pass of [
    { color: 'rgba(0,0,0,0.6)', width: line * 2 },
    { color: '#ffffff', width: line },
  ]) {
    ctx.strokeStyle = pass.color;
    ctx.lineWidth = pass.width;
    ctx.beginPath();
    for (const r of regions) {
      const s = r.segments;
      for (let i = 0; i + 3 < s.length; i += 4) {
        ctx.moveTo(offsetX + s[i]! * sx, s[i + 1]! * sy);
        ctx.lineTo(offsetX + s[i + 2]! * sx, s[i + 3]! * sy);
      }
    }
    ctx.stroke();
  }
  // Numbers on a dark disc, about 3 % of the photo's longer side.
  const radius = Math.max(11, Math.round(Math.max(width, height) / 70));
  ctx.font = `700 ${Math.round(radius * 1.2)}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (const r of regions) {
    const x = offsetX + r.box.x0 * sx + radius + line * 2;
    const y = r.box.y0 * sy + radius + line * 2;
    ctx.beginPath();
    ctx.arc(x, y, radius, 0, 2 * Math.PI);
    ctx.fillStyle = 'rgba(0,0,0,0.75)';
    ctx.fill();
    ctx.lineWidth = Math.max(1, line / 2);
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
    ctx.fillStyle = '#ffffff';
    ctx.fillText(String(r.rank), x, y);
  }
  ctx.restore();
}

/** The swipe view's divider: a white line with a dark edge, as on screen. */
function drawDivider(ctx: CanvasRenderingContext2D, x: number, height: number): void {
  const line = Math.max(2, Math.round(height / 400));
  ctx.save();
  ctx.fillStyle = 'rgba(0,0,0,0.6)';
  ctx.fillRect(x - line * 1.5, 0, line * 3, height);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(x - line / 2, 0, line, height);
  ctx.restore();
}
