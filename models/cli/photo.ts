// Reading a photo in Node as the studio sees it: decoded by sharp, EXIF-oriented, 8-bit RGBA; and its
// measured attributes at full resolution.
import sharp, { type Sharp } from 'sharp';
import { measureAttributes, type Attributes, type RgbaPixels, type SaliencyMap } from '../attributes/index.ts';

export class PhotoReadError extends Error {
  override readonly name = 'PhotoReadError';
}

export interface OpenPhoto {
  photo: Sharp;
  width: number;
  height: number;
}

/** Opens a photo (orientation applied); a file that is not a readable image is a PhotoReadError. */
export async function openPhoto(file: string): Promise<OpenPhoto> {
  const photo = sharp(file).rotate();
  const meta = await photo.metadata().catch(() => {
    throw new PhotoReadError(`cannot read image "${file}"`);
  });
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw new PhotoReadError(`"${file}" has no dimensions`);
  return { photo, width, height };
}

/** RGBA pixels of the photo, resized to fill width×height (aspect not kept) or at full size. */
export async function rgbaPixels(photo: Sharp, size?: { width: number; height: number }): Promise<RgbaPixels> {
  const resized = size ? photo.clone().resize(size.width, size.height, { fit: 'fill' }) : photo.clone();
  const { data, info } = await resized
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((err: unknown) => {
      throw new PhotoReadError(`cannot decode image: ${err instanceof Error ? err.message : String(err)}`);
    });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

export async function photoAttributes(open: OpenPhoto, saliency: SaliencyMap | null): Promise<Attributes> {
  return measureAttributes(await rgbaPixels(open.photo), saliency);
}
