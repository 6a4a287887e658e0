import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../random/mulberry32.ts';
import { runCaptured, type CliOutput } from '../testing/cliOutput.ts';
import { run } from './analyse.ts';

const out = mkdtempSync(join(tmpdir(), 'aeslens-analyse-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const analyse = (args: string[]): Promise<CliOutput> => runCaptured(run, args);

/** Left half white, right half black: half the pixels clipped each way, mean luma exactly 0.5. */
async function halves(): Promise<string> {
  const [w, h] = [160, 90];
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w / 2; x++) px.fill(255, (y * w + x) * 3, (y * w + x) * 3 + 3);
  const path = join(out, 'halves.png');
  await sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toFile(path);
  return path;
}

describe('aeslens analyse', () => {
  it('prints score and attributes per photo; a bad file is reported and the rest still analysed', async () => {
    const photo = await halves();
    const bad = join(out, 'not-a-photo.jpg');
    writeFileSync(bad, 'not an image');
    const { code, stdout, stderr } = await analyse([photo, bad, photo, '--pack', 'fixture', '--json']);
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot read image "${bad}"`);
    const reports = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(reports).toHaveLength(2);
    const [r] = reports;
    expect(r).toMatchObject({ file: photo, width: 160, height: 90 });
    expect(Number.isFinite(r.score)).toBe(true);
    expect(r.attributes.exposure.meanLuma).toBeCloseTo(0.5, 12);
    expect(r.attributes.exposure.clippedHighlights).toBe(0.5);
    expect(r.attributes.exposure.clippedShadows).toBe(0.5);
    expect(r.attributes.colour.palette.map((p: { hex: string }) => p.hex).sort()).toEqual(['#000000', '#ffffff']);
    expect(r.attributes.composition.saliencyCentroid).toHaveLength(2);
    expect(r.attributes.focus.subjectSharpness === null && r.attributes.focus.backgroundSharpness === null).toBe(false);
    expect(Object.keys(r.attributes)).toEqual(['exposure', 'colour', 'focus', 'composition']);
  });

  it('measures the EXIF-oriented pixels: a texture stored on top shows on the right after orientation 6', async () => {
    const [w, h] = [120, 80];
    const random = mulberry32(4);
    const px = Buffer.alloc(w * h * 3, 128);
    for (let i = 0; i < (w * h * 3) / 2; i++) px[i] = Math.floor(random() * 256);
    const path = join(out, 'rotated.jpg');
    await sharp(px, { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toFile(path);
    const { code, stdout } = await analyse([path, '--pack', 'none', '--json']);
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect([r.width, r.height, r.score]).toEqual([80, 120, null]);
    const grid: number[] = r.attributes.focus.grid;
    for (let row = 0; row < 8; row++) expect(grid[row * 8 + 7]!).toBeGreaterThan(10 * grid[row * 8]!);
    expect(r.attributes.composition.saliencyCentroid).toBeNull();
  });

  it('records crops of the EXIF-oriented photo, best first, the full frame among them as "original" at 0, 0', async () => {
    const [w, h] = [150, 100];
    const random = mulberry32(9);
    const px = Buffer.from(Array.from({ length: w * h * 3 }, () => Math.floor(random() * 256)));
    const path = join(out, 'rotated-crops.jpg');
    await sharp(px, { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toFile(path);
    const { code, stdout } = await analyse([path, '--pack', 'fixture', '--json']);
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect([r.width, r.height]).toEqual([100, 150]);
    const crops: { x: number; y: number; width: number; height: number; aspect: string; score: number }[] = r.crops;
    expect(crops.length).toBeGreaterThan(8);
    expect(
      crops.filter((c) => c.aspect === 'original' && c.x === 0 && c.y === 0 && c.width === 100 && c.height === 150),
    ).toHaveLength(1);
    for (const c of crops) {
      expect(Object.keys(c)).toEqual(['x', 'y', 'width', 'height', 'aspect', 'score']);
      expect(c.x + c.width).toBeLessThanOrEqual(100);
      expect(c.y + c.height).toBeLessThanOrEqual(150);
    }
    for (let i = 1; i < crops.length; i++) expect(crops[i]!.score).toBeLessThanOrEqual(crops[i - 1]!.score);
    expect(r.cropNoise).toBeGreaterThanOrEqual(0);
    const none = JSON.parse((await analyse([path, '--pack', 'none', '--json'])).stdout);
    expect([none.crops, none.cropNoise]).toEqual([[], null]);
  });

  it('prints a readable summary without --json, and rejects an unknown pack', async () => {
    const { code, stdout } = await analyse([await halves(), '--pack', 'none']);
    expect(code).toBe(0);
    expect(stdout).toContain('highlights clipped 50.0 %');
    const unknown = await analyse(['x.jpg', '--pack', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown IASM pack "nope"');
  });
});
