// Regions of a photo at full resolution, for the loupe at 1:1 and beyond. The original is decoded
// with its EXIF orientation applied and cut from that bitmap: Chromium's createImageBitmap crops a
// rotated (orientation 5–8) file in the stored frame, not the displayed one, so cutting the file
// directly would show the wrong part. The last two decoded originals are kept (compare shows
// two photos), and dropped when the loupe goes back to the fit.
import type { PixelRect } from '../lib/loupe/view.ts';

const KEEP = 2;

interface Original {
  file: Blob;
  bitmap: Promise<ImageBitmap>;
}

let originals: Original[] = [];

function original(file: Blob, mimeType: string): Promise<ImageBitmap> {
  const kept = originals.find((o) => o.file === file);
  if (kept) {
    originals = [kept, ...originals.filter((o) => o !== kept)];
    return kept.bitmap;
  }
  const typed = !mimeType || file.type === mimeType ? file : file.slice(0, file.size, mimeType);
  const entry: Original = { file, bitmap: createImageBitmap(typed, { imageOrientation: 'from-image' }) };
  // A failed decode is not kept: the next request tries again.
  entry.bitmap.catch(() => (originals = originals.filter((o) => o !== entry)));
  originals = [entry, ...originals];
  for (const dropped of originals.splice(KEEP))
    void dropped.bitmap.then(
      (b) => b.close(),
      () => undefined,
    );
  return entry.bitmap;
}

/**
 * The pixels `region` of the photo (displayed orientation), at `scale` output pixels per photo
 * pixel (at most 1). The caller owns the bitmap. Rejects when the browser cannot decode the file.
 */
export async function decodeRegion(
  file: Blob,
  mimeType: string,
  region: PixelRect,
  scale: number,
): Promise<ImageBitmap> {
  const full = await original(file, mimeType);
  const { x, y, width, height } = region;
  if (scale >= 1) return createImageBitmap(full, x, y, width, height);
  return createImageBitmap(full, x, y, width, height, {
    resizeWidth: Math.max(1, Math.round(width * scale)),
    resizeHeight: Math.max(1, Math.round(height * scale)),
    resizeQuality: 'high',
  });
}

/** Frees the kept originals (the loupe is back at the fit). */
export function releaseOriginals(): void {
  for (const o of originals)
    void o.bitmap.then(
      (b) => b.close(),
      () => undefined,
    );
  originals = [];
}
