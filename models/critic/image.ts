// Plain RGBA images (as ImageData / decoded photos give them) and cutting crops out of them.
import type { CropBox } from './crops.ts';

export interface RgbaImage {
  /** width × height × 4 bytes, row-major RGBA. */
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** The pixel rectangle of a normalised crop box: rounded outward, at least 1×1, inside the image. */
export function cropRect(box: CropBox, width: number, height: number) {
  const x0 = Math.max(0, Math.min(width - 1, Math.floor(box.x * width)));
  const y0 = Math.max(0, Math.min(height - 1, Math.floor(box.y * height)));
  const x1 = Math.max(x0 + 1, Math.min(width, Math.ceil((box.x + box.width) * width)));
  const y1 = Math.max(y0 + 1, Math.min(height, Math.ceil((box.y + box.height) * height)));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Copies the crop's pixels into a new RGBA image. */
export function cropRgba(image: RgbaImage, box: CropBox): RgbaImage {
  const r = cropRect(box, image.width, image.height);
  const data = new Uint8ClampedArray(r.width * r.height * 4);
  for (let y = 0; y < r.height; y++) {
    const from = ((r.y + y) * image.width + r.x) * 4;
    data.set(image.data.subarray(from, from + r.width * 4), y * r.width * 4);
  }
  return { data, width: r.width, height: r.height };
}

/**
 * Most a view given to the critic may be longer than wide, or wider than long. Its processor
 * scales the long side to 512 px, so a thinner view (a 40000×20 strip) would get a short side of 0.
 */
export const MAX_VIEW_ASPECT = 8;

/** A rectangle in normalised image coordinates. */
interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where a width × height image lies in its letterbox: the padded size and the image's offset in it. */
export interface Letterbox {
  width: number;
  height: number;
  x: number;
  y: number;
}

/**
 * The least box holding a width × height image, centred, whose long side is at most `maxAspect`
 * times its short side: the image is padded on its short side, never scaled.
 */
export function letterboxFor(width: number, height: number, maxAspect = MAX_VIEW_ASPECT): Letterbox {
  const boxWidth = Math.max(width, Math.ceil(height / maxAspect));
  const boxHeight = Math.max(height, Math.ceil(width / maxAspect));
  return {
    width: boxWidth,
    height: boxHeight,
    x: Math.floor((boxWidth - width) / 2),
    y: Math.floor((boxHeight - height) / 2),
  };
}

/** The image padded with black to its letterbox (the same image when it needs none). */
export function letterboxRgba(image: RgbaImage, box = letterboxFor(image.width, image.height)): RgbaImage {
  if (box.width === image.width && box.height === image.height) return image;
  const data = new Uint8ClampedArray(box.width * box.height * 4);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  const row = image.width * 4;
  for (let y = 0; y < image.height; y++) {
    data.set(image.data.subarray(y * row, (y + 1) * row), ((box.y + y) * box.width + box.x) * 4);
  }
  return { data, width: box.width, height: box.height };
}

/**
 * The region of the photo a letterboxed view shows, in the photo's normalised coordinates: the
 * view's own region (`region`, e.g. a crop) grown by the padding (so it reaches outside [0, 1]).
 */
export function letterboxedRegion(region: Region, view: { width: number; height: number }, box: Letterbox): Region {
  const { x, y, width, height } = region;
  if (box.width === view.width && box.height === view.height) return { x, y, width, height };
  const sx = width / view.width;
  const sy = height / view.height;
  return { x: x - box.x * sx, y: y - box.y * sy, width: box.width * sx, height: box.height * sy };
}
