// Synthetic RGBA images with known answers for the attribute tests.
import { mulberry32 } from '../../random/mulberry32.ts';
import type { RgbaPixels } from '../types.ts';

export type Rgb = readonly [number, number, number];

export function paint(width: number, height: number, colour: (x: number, y: number) => Rgb): RgbaPixels {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b] = colour(x, y);
      const i = (y * width + x) * 4;
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
      data[i + 3] = 255;
    }
  return { data, width, height };
}

export function randomImage(width: number, height: number, seed: number): RgbaPixels {
  const random = mulberry32(seed);
  const byte = (): number => Math.floor(random() * 256);
  return paint(width, height, () => [byte(), byte(), byte()]);
}

/** Standard normal samples (Box–Muller) from the project's seeded PRNG. */
export function gaussian(seed: number): () => number {
  const random = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const clampByte = (v: number): number => Math.min(255, Math.max(0, Math.round(v)));

/**
 * Sky above, ground below a straight line through the centre rising at `degrees` to the right
 * (y up positive), anti-aliased by coverage, with a little noise.
 */
export function horizon(width: number, height: number, degrees: number, seed = 1): RgbaPixels {
  const noise = gaussian(seed);
  const slope = Math.tan((degrees * Math.PI) / 180);
  return paint(width, height, (x, y) => {
    // Signed vertical distance below the line at this column's centre, clamped to a one-pixel ramp.
    const lineY = height / 2 - (x + 0.5 - width / 2) * slope;
    const ground = Math.min(1, Math.max(0, y + 1 - lineY));
    const v = (sky: number, soil: number): number => clampByte(sky * (1 - ground) + soil * ground + 3 * noise());
    return [v(170, 70), v(200, 90), v(235, 40)];
  });
}

/** Separable box blur of the RGB channels (radius r, edges clamped), in place of a lens blur. */
export function boxBlur(image: RgbaPixels, radius: number, region: (x: number, y: number) => boolean): RgbaPixels {
  const { width: W, height: H, data } = image;
  const out = new Uint8Array(data);
  const at = (x: number, y: number, c: number): number =>
    data[(Math.min(H - 1, Math.max(0, y)) * W + Math.min(W - 1, Math.max(0, x))) * 4 + c]!;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      if (!region(x, y)) continue;
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = -radius; dy <= radius; dy++)
          for (let dx = -radius; dx <= radius; dx++) sum += at(x + dx, y + dy, c);
        out[(y * W + x) * 4 + c] = Math.round(sum / (2 * radius + 1) ** 2);
      }
    }
  return { width: W, height: H, data: out };
}
