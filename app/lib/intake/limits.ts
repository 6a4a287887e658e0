// What the app accepts before decoding anything. A decoded photo costs width × height × 4 bytes
// (a 16384² "bomb" PNG of 800 KB would take 1 GiB), so size is checked from the header first.

/** Photos above this many pixels are refused before decoding (≈ 8660 × 5773). */
export const MAX_PIXELS = 50_000_000;
/** Files above this size are refused without reading them. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** The display copy kept per photo is downscaled so its longest side is at most this. */
export const DISPLAY_MAX_SIDE = 2048;
/** Gallery thumbnails: longest side. */
export const THUMBNAIL_MAX_SIDE = 256;

const megapixels = (pixels: number): string => `${(pixels / 1e6).toFixed(pixels < 10e6 ? 1 : 0)} MP`;

/**
 * Why a photo of this size is refused, or undefined when it is accepted. `decodedPixels` is what
 * the browser allocates to decode it, when more than the photo shows (an AVIF cropped after decoding).
 */
export function sizeRefusal(width: number, height: number, decodedPixels = width * height): string | undefined {
  const pixels = Math.max(decodedPixels, width * height);
  if (pixels > MAX_PIXELS) {
    const decodes = pixels > width * height ? ` decoded from ${megapixels(pixels)}` : ` (${megapixels(pixels)})`;
    return (
      `${width}×${height} pixels${decodes} is over the ${megapixels(MAX_PIXELS)} limit; ` +
      `refused before decoding (it would need ${Math.round((pixels * 4) / 2 ** 20)} MiB of memory)`
    );
  }
  return undefined;
}

/** Size that fits (w, h) inside a square of `maxSide`, keeping the aspect ratio; never upscales. */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
