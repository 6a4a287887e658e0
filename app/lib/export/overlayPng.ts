// The overlay exported as PNG at the photo's full resolution: the same WebGL2 composite the
// viewer shows, rendered into an off-screen canvas of the photo's size, plus region outlines.
import type { SalientRegion, SaliencyMap } from '../colormap/regions.ts';
import { compositeSize, createHeatmapRenderer, type CompositeParams } from '../colormap/renderer.ts';

export interface OverlayExport {
  blob: Blob;
  width: number;
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

    const out = document.createElement('canvas');
    out.width = size.width;
    out.height = size.height;
    const ctx = out.getContext('2d');
    if (!ctx) throw new Error('Export: no 2D canvas context');
    ctx.drawImage(probe, 0, 0);
    if (regions && regions.length > 0) {
      const offsetX = params.mode === 'side-by-side' ? bitmap.width : 0;
      drawOutlines(ctx, regions, saliency, offsetX, bitmap.width, bitmap.height);
    }
    const blob = await new Promise<Blob>((resolve, reject) =>
      out.toBlob((b) => (b ? resolve(b) : reject(new Error('Export: the PNG could not be encoded'))), 'image/png'),
    );
    return {
      blob,
      width: size.width,
      height: size.height,
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
  ctx.font = `600 ${line * 8}px system-ui, sans-serif`;
  ctx.fillStyle = '#ffffff';
  ctx.strokeStyle = 'rgba(0,0,0,0.7)';
  ctx.lineWidth = line;
  for (const r of regions) {
    const x = offsetX + r.box.x0 * sx + line * 2;
    const y = r.box.y0 * sy + line * 9;
    ctx.strokeText(String(r.rank), x, y);
    ctx.fillText(String(r.rank), x, y);
  }
  ctx.restore();
}
