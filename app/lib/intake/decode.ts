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
  /** Set when the decoded image looks incomplete (a JPEG whose data stops early): a note for the user. */
  notice?: string;
}

export interface DecodedPhoto extends DisplayBitmap {
  /** Object URL of a JPEG thumbnail. The caller owns it and must revoke it. */
  thumbnailUrl: string;
}

/**
 * Decodes the photo (its header already passed the size limit, which bounds the full-size decode)
 * and downscales it to display size. Rejects with a user-readable message when the browser cannot decode it.
 */
export async function decodeDisplayBitmap(file: Blob, info: SniffedImage): Promise<DisplayBitmap> {
  const typed = file.type === info.mimeType ? file : file.slice(0, file.size, info.mimeType);
  let full: ImageBitmap;
  try {
    full = await createImageBitmap(typed, { imageOrientation: 'from-image' });
  } catch {
    throw new Error(`the ${info.format.toUpperCase()} data could not be decoded (the file is damaged or incomplete)`);
  }
  const { width, height } = full;
  const notice = info.format === 'jpeg' && endsInDecoderGrey(full) ? INCOMPLETE_JPEG : undefined;
  const facts = { width, height, ...(notice ? { notice } : {}) };
  const size = fitWithin(width, height, DISPLAY_MAX_SIDE);
  if (size.width === width && size.height === height) return { bitmap: full, ...facts };
  try {
    const bitmap = await createImageBitmap(full, {
      resizeWidth: size.width,
      resizeHeight: size.height,
      resizeQuality: 'high',
    });
    return { bitmap, ...facts };
  } finally {
    full.close();
  }
}

const INCOMPLETE_JPEG = 'the JPEG data stops before the image ends: its lower part is shown grey and analysed as such';

/**
 * Whether the last row is the flat mid-grey (128, 128, 128) browsers fill in for blocks a JPEG's
 * data never reached. A photo may end in that exact grey by itself; then the note is a false alarm.
 */
function endsInDecoderGrey(bitmap: ImageBitmap): boolean {
  const canvas = new OffscreenCanvas(bitmap.width, 1);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return false;
  ctx.drawImage(bitmap, 0, bitmap.height - 1, bitmap.width, 1, 0, 0, bitmap.width, 1);
  const row = ctx.getImageData(0, 0, bitmap.width, 1).data;
  for (let i = 0; i < row.length; i += 4) {
    if (row[i] !== 128 || row[i + 1] !== 128 || row[i + 2] !== 128) return false;
  }
  return true;
}

/** A JPEG thumbnail of `bitmap` as an object URL. */
export async function makeThumbnail(bitmap: ImageBitmap): Promise<string> {
  const size = fitWithin(bitmap.width, bitmap.height, THUMBNAIL_MAX_SIDE);
  const canvas = new OffscreenCanvas(size.width, size.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context for the thumbnail');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, size.width, size.height);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
  return URL.createObjectURL(blob);
}

export async function decodePhoto(file: Blob, info: SniffedImage): Promise<DecodedPhoto> {
  const display = await decodeDisplayBitmap(file, info);
  try {
    return { ...display, thumbnailUrl: await makeThumbnail(display.bitmap) };
  } catch (err) {
    display.bitmap.close();
    throw err;
  }
}
