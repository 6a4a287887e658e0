// Small generated photos (distinct colours and gradients) and a generic JSONL dataset
// with one reference critique each, for the queue tests and bench.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

const TONES = ['soft dark', 'bright warm', 'cool blue', 'muted green'];

export const PHOTO_WIDTH = 48;
export const PHOTO_HEIGHT = 36;

/** RGB pixels of photo `i`: colour gradients that differ from photo to photo. */
export function photoPixels(i: number): Uint8Array {
  const [w, h] = [PHOTO_WIDTH, PHOTO_HEIGHT];
  const px = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      px[o] = (i * 37 + x * 3) % 256;
      px[o + 1] = (i * 71 + y * 5) % 256;
      px[o + 2] = (i * 13 + (x + y) * 2) % 256;
    }
  return px;
}

/** Writes `photoNN.png` × n (lossless) and `dataset.jsonl` into `dir`; returns the dataset path and the ids. */
export async function makePhotoDataset(dir: string, n: number): Promise<{ dataset: string; ids: string[] }> {
  const ids: string[] = [];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `photo${String(i).padStart(2, '0')}.png`;
    await sharp(photoPixels(i), { raw: { width: PHOTO_WIDTH, height: PHOTO_HEIGHT, channels: 3 } })
      .png()
      .toFile(join(dir, id));
    ids.push(id);
    lines.push(JSON.stringify({ image: id, references: [`A ${TONES[i % 4]} photo; the dark subject is soft.`] }));
  }
  const dataset = join(dir, 'dataset.jsonl');
  await writeFile(dataset, `${lines.join('\n')}\n`);
  return { dataset, ids };
}
