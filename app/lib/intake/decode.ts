// Decoding an accepted photo: once from the file at its natural size (orientation and crop applied
// by the browser, so the size is the decoded one whatever the header said), downscaled to a
// display-size bitmap, then a small JPEG thumbnail from that bitmap.
import { differenceHash } from '../cull/stacks.ts';
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
  /** The photo's difference hash (for stacks of near-duplicates), made with the thumbnail. */
  visualHash?: string;
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

/** Grey samples the difference hash averages over (the hash reads a 9×8 grid of them). */
const HASH_SAMPLES = { width: 36, height: 32 };

/** The difference hash of `bitmap`, from a small grey copy drawn with smoothing. */
function hashOf(bitmap: ImageBitmap): string {
  const { width, height } = HASH_SAMPLES;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context for the difference hash');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  const { data } = ctx.getImageData(0, 0, width, height);
  const grey = new Float32Array(width * height);
  for (let i = 0; i < grey.length; i++)
    grey[i] = 0.299 * data[i * 4]! + 0.587 * data[i * 4 + 1]! + 0.114 * data[i * 4 + 2]!;
  return differenceHash(grey, width, height);
}

/** The display bitmap, and a thumbnail and hash made from it when `thumbnail` is set. */
export async function decodePhoto(file: Blob, info: SniffedImage, thumbnail: boolean): Promise<DecodedPhoto> {
  const display = await decodeDisplayBitmap(file, info);
  if (!thumbnail) return display;
  try {
    return { ...display, thumbnail: await makeThumbnail(display.bitmap), visualHash: hashOf(display.bitmap) };
  } catch (err) {
    display.bitmap.close();
    throw err;
  }
}
