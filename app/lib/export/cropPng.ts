// A suggested crop exported as PNG at the full resolution of the original: the file decoded again
// at its natural size (EXIF orientation applied) and the crop's rectangle copied pixel for pixel.
import type { PixelRect } from '../../../models/crops/candidates.ts';

export async function renderCropPng(file: Blob, rect: PixelRect): Promise<Blob> {
  const original = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    if (rect.x + rect.width > original.width || rect.y + rect.height > original.height)
      throw new Error(`The crop ${rect.width}×${rect.height} at ${rect.x}, ${rect.y} is outside the decoded photo`);
    const canvas = new OffscreenCanvas(rect.width, rect.height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('Export: no 2D canvas context');
    ctx.drawImage(original, rect.x, rect.y, rect.width, rect.height, 0, 0, rect.width, rect.height);
    return await canvas.convertToBlob({ type: 'image/png' });
  } finally {
    original.close();
  }
}

/** "dune.jpg" + 4:5 -> "dune.crop-4x5.png". */
export function cropFileName(fileName: string, aspect: string): string {
  const stem = fileName.replace(/^.*\//, '').replace(/\.[^.]+$/, '') || 'photo';
  return `${stem}.crop-${aspect.replace(':', 'x')}.png`;
}
