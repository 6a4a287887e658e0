// Decoding an accepted photo: once from the file into a display-size bitmap (EXIF orientation
// applied by the browser), then a small JPEG thumbnail from that bitmap.
import { DISPLAY_MAX_SIDE, THUMBNAIL_MAX_SIDE, fitWithin } from './limits.ts';
import type { SniffedImage } from './sniff.ts';

export interface DecodedPhoto {
  /** Display copy, longest side ≤ DISPLAY_MAX_SIDE. The caller owns it and must close it. */
  bitmap: ImageBitmap;
  /** Object URL of a JPEG thumbnail. The caller owns it and must revoke it. */
  thumbnailUrl: string;
}

/** Decodes the photo at display size. Rejects with a user-readable message when the browser cannot decode it. */
export async function decodeDisplayBitmap(file: Blob, info: SniffedImage): Promise<ImageBitmap> {
  const size = fitWithin(info.width, info.height, DISPLAY_MAX_SIDE);
  const typed = file.type === info.mimeType ? file : file.slice(0, file.size, info.mimeType);
  try {
    return await createImageBitmap(typed, {
      imageOrientation: 'from-image',
      resizeWidth: size.width,
      resizeHeight: size.height,
      resizeQuality: 'high',
    });
  } catch {
    throw new Error(`the ${info.format.toUpperCase()} data could not be decoded (the file is damaged or incomplete)`);
  }
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
  const bitmap = await decodeDisplayBitmap(file, info);
  try {
    return { bitmap, thumbnailUrl: await makeThumbnail(bitmap) };
  } catch (err) {
    bitmap.close();
    throw err;
  }
}
