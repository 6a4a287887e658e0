// Generated photos that no stack folds together: blocks of seeded random colour.
import sharp from 'sharp';

export interface GeneratedPhoto {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** `count` small JPEGs, n000.jpg on, no two of them near-duplicates; `seed` picks the colours. */
export async function distinctPhotos(count: number, seed = 1): Promise<GeneratedPhoto[]> {
  const out: GeneratedPhoto[] = [];
  for (let i = 0; i < count; i++) {
    let s = i + seed;
    const raw = Buffer.alloc(8 * 6 * 3, 0).map(() => (s = (s * 16807) % 2147483647) % 256);
    const buffer = await sharp(raw, { raw: { width: 8, height: 6, channels: 3 } })
      .resize(96, 72, { kernel: 'nearest' })
      .jpeg()
      .toBuffer();
    out.push({ name: `n${String(i).padStart(3, '0')}.jpg`, mimeType: 'image/jpeg', buffer });
  }
  return out;
}
