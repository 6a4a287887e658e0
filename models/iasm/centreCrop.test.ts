// CLIP packs score the centre crop exactly as CLIP's own preprocessing makes it, and take the map
// from the whole photo: checked against a plain float64 reference of that preprocessing.
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRgba } from '../common/readRgba.node.ts';
import { FIXTURES } from '../fixtures/index.ts';
import { findIasmPack } from '../packs/registry.ts';
import type { IasmPack } from '../packs/iasm.ts';
import { clipPreprocessReference } from '../testing/clipPreprocessReference.ts';
import { laionScore } from '../testing/iasmReference.node.ts';
import { centreCropGeometry, preprocessPhoto, preprocessScore, type RgbaImage } from './preprocess.ts';
import { resizeBicubic } from './resample.ts';
import { buildIasmModelForPack, createIasmRunner, type IasmRunner } from './runner.ts';

const PHOTOS = new URL('../../../shared/photos/', import.meta.url).pathname;
const SLOW = 240_000;

function pack(id: string): IasmPack {
  const p = findIasmPack(id);
  if (!p) throw new Error(`no pack ${id}`);
  return p;
}

/** A synthetic RGBA image from a per-pixel function. */
function synthetic(width: number, height: number, f: (x: number, y: number, c: number) => number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) data[(y * width + x) * 4 + c] = f(x, y, c);
      data[(y * width + x) * 4 + 3] = 255;
    }
  return { data, width, height };
}

describe('CLIP preprocessing', () => {
  it('crops the centre square after the shortest side goes to 224 (CLIPImageProcessor geometry)', () => {
    expect(centreCropGeometry(400, 200, 224)).toMatchObject({
      resizedWidth: 448,
      resizedHeight: 224,
      window: { x: 112, y: 0, width: 224, height: 224 },
      region: { x: 100, y: 0, width: 200, height: 200 },
    });
    // ⌊224 · 5640 / 3172⌋ = 398; offset ⌊(398 − 224) / 2⌋ = 87.
    const g = centreCropGeometry(5640, 3172, 224);
    expect([g.resizedWidth, g.resizedHeight, g.window.x, g.window.y]).toEqual([398, 224, 87, 0]);
    const tall = centreCropGeometry(200, 800, 224);
    expect(tall.region).toEqual({ x: 0, y: 300, width: 200, height: 200 });
  });

  it('bicubic keeps a flat image flat and a linear ramp linear (antialiased downscale)', () => {
    const flat = resizeBicubic(
      synthetic(97, 61, () => 173),
      13,
      7,
    );
    expect(new Set(Array.from(flat.data).filter((_, i) => i % 4 !== 3))).toEqual(new Set([173]));
    // f(x) = 2x: an output pixel centred at input coordinate (i + 0.5)·s − 0.5 is 2 × that, away from the edges.
    const ramp = resizeBicubic(
      synthetic(120, 4, (x) => 2 * x),
      30,
      4,
    );
    for (let i = 3; i < 27; i++)
      expect(Math.abs(ramp.data[(30 + i) * 4]! - 2 * ((i + 0.5) * 4 - 0.5))).toBeLessThanOrEqual(0.5);
  });

  it('equals the float64 reference pixel for pixel (8-bit rounding apart), wide and tall', () => {
    const spec = pack('fixture-clip').input;
    for (const [w, h] of [
      [517, 203],
      [150, 611],
      [90, 60],
    ] as const) {
      // Detail at every scale, kept off the 0/255 bounds so no pass clamps.
      const img = synthetic(
        w,
        h,
        (x, y, c) => 128 + 90 * Math.sin(x * 0.31 + c) * Math.cos(y * 0.17 - c) + 20 * Math.sin(x * y * 0.01),
      );
      const ref = clipPreprocessReference(img.data, w, h, 224, spec.mean, spec.std);
      // The photo's inputs and the score input alone (what crops are scored on).
      for (const ours of [preprocessPhoto(img, spec).score, preprocessScore(img, spec).score]) {
        let worst = 0;
        for (let i = 0; i < ref.length; i++)
          worst = Math.max(worst, Math.abs(ours[i]! - ref[i]!) * 255 * spec.std[Math.floor(i / 224 / 224)]!);
        // Two 8-bit roundings: about one level at most.
        expect(worst, `${w}×${h}`).toBeLessThan(1.5);
      }
    }
  });
});

describe('CLIP pack scores', () => {
  let runner: IasmRunner;
  let stretchRunner: IasmRunner;
  const p = pack('fixture-clip');
  let files: Record<string, Uint8Array>;
  beforeAll(async () => {
    files = await FIXTURES[p.id]!();
    const built = await buildIasmModelForPack(p, async (path) => files[path]!);
    runner = await createIasmRunner(ort, built, p, { executionProviders: ['cpu'] });
    stretchRunner = await createIasmRunner(
      ort,
      built,
      { input: { ...p.input, resize: 'stretch' } },
      {
        executionProviders: ['cpu'],
      },
    );
  }, SLOW);

  async function referenceScore(photo: RgbaImage): Promise<number> {
    const pixels = clipPreprocessReference(photo.data, photo.width, photo.height, 224, p.input.mean, p.input.std);
    const session = await ort.InferenceSession.create(files[p.backbone]!);
    try {
      const out = await session.run({
        pixel_values: new ort.Tensor('float32', Float32Array.from(pixels), [1, 3, 224, 224]),
      });
      return laionScore(Float64Array.from(out.image_embeds!.data as Float32Array));
    } finally {
      await session.release();
    }
  }

  it(
    'equal the reference predictor (CLIP preprocessing + tower + LAION head) to 0.01 on real photos at full size',
    async () => {
      for (const name of ['good/Dune.jpg', 'good/chelsea.png', 'good/hubble_deep_field.jpg']) {
        const photo = await readRgba(PHOTOS + name);
        const ours = await runner.analyse(photo);
        const ref = await referenceScore(photo);
        const stretched = await stretchRunner.analyse(photo);
        expect(Math.abs(ours.score - ref), name).toBeLessThan(0.01);
        // The whole-photo stretch (the previous preprocessing) misses the reference by more.
        expect(Math.abs(stretched.score - ref), name).toBeGreaterThan(0.01);
        // The map still covers the whole photo.
        expect([ours.width, ours.height]).toEqual([224, 224]);
        expect(ours.saliency).toEqual(stretched.saliency);
        expect(ours.scoreRegion.height).toBe(photo.height);
      }
    },
    SLOW,
  );

  it(
    'of an 18 MP photo, from the 2048-px display copy the studio analyses, equal the full-size reference to 0.01',
    async () => {
      const path = PHOTOS + 'large/Elephants_5640x3172.jpg';
      const full = await readRgba(path);
      const display = await readRgba(path, { width: 2048, height: Math.round((2048 * full.height) / full.width) });
      const ref = await referenceScore(full);
      expect(Math.abs((await runner.analyse(full)).score - ref)).toBeLessThan(0.01);
      expect(Math.abs((await runner.analyse(display)).score - ref)).toBeLessThan(0.01);
    },
    SLOW,
  );
});
