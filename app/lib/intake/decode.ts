// Decoding an accepted photo: once from the file at its natural size (orientation and crop applied
// by the browser, so the size is the decoded one whatever the header said), downscaled to a
// display-size bitmap, then a small JPEG thumbnail from that bitmap.
import { DISPLAY_MAX_SIDE, THUMBNAIL_MAX_SIDE, fitWithin } from './limits.ts';
import type { SniffedImage } from './sniff.ts';

export interface DisplayBitmap {
  /** Display copy, longest side ≤ DISPLAY_MAX_SIDE. The caller owns it and must close it. */
  bitmap: ImageBitmap;
  /** The photo's size as the browser decoded it, before the downscale. */
  width: number;
  height: number;
}

export interface DecodedPhoto extends DisplayBitmap {
  /** A small JPEG thumbnail, when asked for. */
  thumbnail?: Blob;
}

/** The browser cannot decode the file: the user's file, not our bug. */
export class UndecodablePhoto extends Error {}

/**
 * Decodes the photo (its header already passed the size limit, which bounds the full-size decode)
 * and downscales it to display size. Rejects with a user-readable message when the browser cannot decode it.
 */
async function decodeDisplayBitmap(file: Blob, info: SniffedImage): Promise<DisplayBitmap> {
  const typed = file.type === info.mimeType ? file : file.slice(0, file.size, info.mimeType);
  let full: ImageBitmap;
  try {
    full = await createImageBitmap(typed, { imageOrientation: 'from-image' });
  } catch {
    throw new UndecodablePhoto(
      `the ${info.format.toUpperCase()} data could not be decoded (the file is damaged or incomplete)`,
    );
  }
  const { width, height } = full;
  const size = fitWithin(width, height, DISPLAY_MAX_SIDE);
  if (size.width === width && size.height === height) return { bitmap: full, width, height };
  try {
    const bitmap = await createImageBitmap(full, {
      resizeWidth: size.width,
      resizeHeight: size.height,
      resizeQuality: 'high',
    });
    return { bitmap, width, height };
  } finally {
    full.close();
  }
}

/** A small JPEG thumbnail of `bitmap`. */
async function makeThumbnail(bitmap: ImageBitmap): Promise<Blob> {
  const size = fitWithin(bitmap.width, bitmap.height, THUMBNAIL_MAX_SIDE);
  const canvas = new OffscreenCanvas(size.width, size.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context for the thumbnail');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, size.width, size.height);
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
}

/** The display bitmap, and a thumbnail made from it when `thumbnail` is set. */
export async function decodePhoto(file: Blob, info: SniffedImage, thumbnail: boolean): Promise<DecodedPhoto> {
  const display = await decodeDisplayBitmap(file, info);
  if (!thumbnail) return display;
  try {
    return { ...display, thumbnail: await makeThumbnail(display.bitmap) };
  } catch (err) {
    display.bitmap.close();
    throw err;
  }
}
