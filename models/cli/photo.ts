// Reading a photo in Node as the studio sees it: decoded by sharp, EXIF-oriented, 8-bit RGBA; and its
// measured attributes at full resolution.
import sharp, { type Sharp } from 'sharp';
import { messageOf } from '../common/errors.ts';
import { readRgba } from '../common/readRgba.node.ts';
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
export function rgbaPixels(photo: Sharp, size?: { width: number; height: number }): Promise<RgbaPixels> {
  return readRgba(photo, size, 'fill').catch((err: unknown) => {
    throw new PhotoReadError(`cannot decode image: ${messageOf(err)}`);
  });
}

export async function photoAttributes(open: OpenPhoto, saliency: SaliencyMap | null): Promise<Attributes> {
  return measureAttributes(await rgbaPixels(open.photo), saliency);
}
