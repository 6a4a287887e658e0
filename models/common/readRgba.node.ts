// A photo as 8-bit RGBA pixels (EXIF orientation applied), decoded in Node with sharp.
import sharp, { type Sharp } from 'sharp';

/** 'fill': exactly width × height, aspect not kept (a model input); 'inside': fits within it, never enlarged. */
export type RgbaFit = 'fill' | 'inside';

/** A file path, or a photo opened with `sharp(path).rotate()`; without `size`, the full-size pixels. */
export async function readRgba(
  source: string | Sharp,
  size?: { width: number; height: number },
  fit: RgbaFit = 'fill',
): Promise<{ data: Uint8Array; width: number; height: number }> {
  const photo = typeof source === 'string' ? sharp(source).rotate() : source.clone();
  const resized = size
    ? photo.resize(size.width, size.height, fit === 'fill' ? { fit } : { fit, withoutEnlargement: true })
    : photo;
  const { data, info } = await resized.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}
