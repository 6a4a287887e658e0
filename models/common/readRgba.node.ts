// A photo file as RGBA pixels (EXIF orientation applied), decoded in Node with sharp.
import sharp from 'sharp';

/** 'fill': exactly width × height (a model input); 'inside': fits within it, never enlarged. */
export type RgbaFit = 'fill' | 'inside';

export async function readRgba(
  path: string,
  size: { width: number; height: number },
  fit: RgbaFit,
): Promise<{ data: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(path)
    .rotate()
    .resize(size.width, size.height, fit === 'fill' ? { fit } : { fit, withoutEnlargement: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}
