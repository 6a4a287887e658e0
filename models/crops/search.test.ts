import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as cli } from '../cli/iasm.ts';
import { readRgba } from '../common/readRgba.node.ts';
import { FIXTURES } from '../fixtures/index.ts';
import { buildIasmModelForPack, createIasmRunner, type IasmRunner } from '../iasm/runner.ts';
import { buildScoreModelForPack } from '../iasm/scoreGraph.ts';
import { createScoreRunner, type ScoreRunner } from '../iasm/scoreRunner.ts';
import { findIasmPack } from '../packs/registry.ts';
import { cropCandidates } from './candidates.ts';
import { suggestPhotoCrops, writeCropPng } from './photo.node.ts';
import { cropPixels } from './pixels.ts';
import type { RgbaImage } from '../iasm/preprocess.ts';
import { cropsThatGain, noiseProbes, type CropSuggestions } from './search.ts';

const PHOTO = new URL('../../../shared/photos/good/coffee.png', import.meta.url).pathname;
const pack = findIasmPack('fixture-clip')!;
const files = async (path: string) => (await FIXTURES[pack.id]!())[path]!;
const out = mkdtempSync(join(tmpdir(), 'aeslens-crops-'));

let iasm: IasmRunner;
let scorer: ScoreRunner;
let pixels: RgbaImage;
let suggestions: CropSuggestions;
let saliency: { data: Float32Array; width: number; height: number };

beforeAll(async () => {
  iasm = await createIasmRunner(ort, await buildIasmModelForPack(pack, files), pack);
  scorer = await createScoreRunner(ort, await buildScoreModelForPack(pack, files), pack);
  pixels = await readRgba(PHOTO);
  const full = await iasm.analyse(pixels);
  saliency = { data: full.saliency, width: full.width, height: full.height };
  suggestions = await suggestPhotoCrops(pixels, saliency, scorer);
});
afterAll(async () => {
  await iasm.dispose();
  await scorer.dispose();
  rmSync(out, { recursive: true, force: true });
});

/** The crop analysed alone by the full IASM graph: the brute force the batched search must agree with. */
const bruteForce = async (rect: { x: number; y: number; width: number; height: number }) =>
  (await iasm.analyse(cropPixels(pixels, rect))).score;

async function iasmRunCli(image: string): Promise<number> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c) => {
    chunks.push(String(c));
    return true;
  });
  const code = await cli(['run', '--pack', 'fixture', '--image', image, '--json']).finally(() => spy.mockRestore());
  expect(code).toBe(0);
  return (JSON.parse(chunks.join('')) as { score: number }).score;
}

describe('crop search', () => {
  it('ranks every candidate, best first, and finds the best of its set (brute force, one full IASM run each)', async () => {
    const candidates = cropCandidates(pixels.width, pixels.height, saliency);
    expect(suggestions.crops).toHaveLength(candidates.length);
    const scores = await Promise.all(candidates.map(bruteForce));
    const best = scores.indexOf(Math.max(...scores));
    expect(suggestions.crops[0]).toMatchObject(candidates[best]!);
    for (const c of suggestions.crops) {
      const i = candidates.findIndex((k) => k.x === c.x && k.y === c.y && k.width === c.width && k.height === c.height);
      expect(c.score).toBeCloseTo(scores[i]!, 4);
    }
    for (let i = 1; i < suggestions.crops.length; i++)
      expect(suggestions.crops[i]!.score).toBeLessThanOrEqual(suggestions.crops[i - 1]!.score);
    expect(suggestions.fullFrame).toBeCloseTo(scores[0]!, 4);
    // The crops really score differently (else "best" would mean nothing).
    expect(Math.max(...scores) - Math.min(...scores)).toBeGreaterThan(0.01);
  });

  it('measures the noise as the largest score change among the near-identical crops', async () => {
    const probes = await Promise.all(noiseProbes(pixels.width, pixels.height).map(bruteForce));
    const noise = Math.max(...probes.map((s) => Math.abs(s - suggestions.fullFrame)));
    expect(suggestions.noise).toBeCloseTo(noise, 4);
    const gaining = cropsThatGain(suggestions);
    for (const c of gaining) expect(c.score - suggestions.fullFrame).toBeGreaterThan(suggestions.noise);
    expect(gaining.length).toBe(
      suggestions.crops.filter((c) => c.score > suggestions.fullFrame + suggestions.noise).length,
    );
  });

  it('a crop written to disk and scored by `aeslens iasm run` gets the score the search reported, to 0.01', async () => {
    const top = suggestions.crops.filter((c) => c.width !== pixels.width || c.height !== pixels.height).slice(0, 3);
    for (const [i, crop] of top.entries()) {
      const file = join(out, `crop-${i}.png`);
      await writeCropPng(pixels, crop, file);
      const written = await readRgba(file);
      expect([written.width, written.height]).toEqual([crop.width, crop.height]);
      const row = (y: number) =>
        pixels.data.subarray(
          ((crop.y + y) * pixels.width + crop.x) * 4,
          ((crop.y + y) * pixels.width + crop.x + crop.width) * 4,
        );
      for (const y of [0, crop.height >> 1, crop.height - 1])
        expect(written.data.subarray(y * crop.width * 4, (y + 1) * crop.width * 4)).toEqual(row(y));
      expect(Math.abs((await iasmRunCli(file)) - crop.score)).toBeLessThan(0.01);
    }
  });
});
