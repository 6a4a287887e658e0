import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { readRgba } from '../common/readRgba.node.ts';
import { runCaptured, type CliOutput } from '../testing/cliOutput.ts';
import { run } from './crop.ts';

const PHOTO = new URL('../../../shared/photos/good/coffee.png', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'aeslens-crop-'));
// A flat grey photo: every crop shows the model the same pixels, so none can beat the full frame.
const KEEP = join(out, 'flat.png');
afterAll(() => rmSync(out, { recursive: true, force: true }));

const crop = (args: string[]): Promise<CliOutput> => runCaptured(run, args);

describe('aeslens crop', () => {
  it('writes the crops that gain as PNG files holding exactly the reported rectangles', async () => {
    const dir = join(out, 'json');
    const { code, stdout } = await crop([PHOTO, '--out', dir, '--pack', 'fixture', '--top', '2', '--json']);
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    const photo = await readRgba(PHOTO);
    expect(r.written.length).toBeGreaterThanOrEqual(1);
    expect(r.written.length).toBeLessThanOrEqual(2);
    expect(readdirSync(dir).sort()).toEqual(r.written.map((w: { file: string }) => w.file.split('/').pop()).sort());
    for (const w of r.written) {
      expect(w.score - r.fullFrame).toBeGreaterThan(r.noise);
      const file = await readRgba(w.file);
      expect([file.width, file.height]).toEqual([w.width, w.height]);
      for (const y of [0, w.height - 1]) {
        const start = ((w.y + y) * photo.width + w.x) * 4;
        expect(file.data.subarray(y * w.width * 4, (y + 1) * w.width * 4)).toEqual(
          photo.data.subarray(start, start + w.width * 4),
        );
      }
    }
  });

  it('says what it wrote without --json, and refuses missing arguments', async () => {
    await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 120, g: 120, b: 120 } } })
      .png()
      .toFile(KEEP);
    const { code, stdout } = await crop([PHOTO, '--out', join(out, 'text'), '--pack', 'fixture']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/→ \d\.\d{3} \(noise ±\d\.\d{3}\)\n {2}\S+\.crop1-/);
    const keep = await crop([KEEP, '--out', join(out, 'keep'), '--pack', 'fixture', '--json']);
    const kept = JSON.parse(keep.stdout);
    expect(kept.written).toEqual([]);
    expect((await crop([KEEP, '--out', join(out, 'keep'), '--pack', 'fixture'])).stdout).toContain(
      "No crop beats the full frame by more than the model's noise",
    );
    expect((await crop([PHOTO])).stderr).toContain('--out is required');
    expect((await crop([PHOTO, '--out', out, '--top', '0'])).code).toBe(2);
  });
});
