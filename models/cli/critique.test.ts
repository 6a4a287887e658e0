import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSmolvlmFixture, SMOLVLM_FIXTURE_FUSION } from '../fixtures/smolvlm.ts';
import { writeFiles } from '../fixtures/writeFiles.node.ts';
import { Weights, weightsFromSafetensors, weightsToSafetensors } from '../vit/weights.ts';
import { GROUNDING_TOKENS, groundingFacts, groundingSentence } from '../attributes/index.ts';
import { fixtureCriticTokenCount } from '../testing/criticTokenCount.node.ts';
import { runCaptured } from '../testing/cliOutput.ts';
import { run } from './critique.ts';

const out = mkdtempSync(join(tmpdir(), 'aeslens-critique-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The fixture packs, the report as JSON on stdout, the heatmap into `out`. */
const FIXTURE_JSON = ['--pack', 'fixture', '--json', '--out', out];

/** Runs `aeslens critique` with what it writes to `stream` captured (not printed). */
async function critique(
  args: string[],
  stream: 'stdout' | 'stderr' = 'stdout',
): Promise<{ code: number; output: string }> {
  const captured = await runCaptured(run, args);
  return { code: captured.code, output: captured[stream] };
}

/** Writes a width×height RGB PNG into `out` whose i-th byte is `byte(i)`; returns its path. */
async function writePng(name: string, width: number, height: number, byte: (i: number) => number): Promise<string> {
  const path = join(out, name);
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = byte(i);
  await sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toFile(path);
  return path;
}

describe('aeslens critique', () => {
  it('scores, writes the heatmap and critiques a photo offline with --pack fixture', async () => {
    const photo = await writePng('gradient.png', 120, 80, (i) => (i * 7) % 256);

    const { code, output } = await critique([photo, ...FIXTURE_JSON, '--max-new-tokens', '6']);
    expect(code).toBe(0);
    const report = JSON.parse(output);
    expect(report).toMatchObject({
      file: photo,
      pack: { iasm: 'fixture-clip', critic: 'fixture-smolvlm' },
      backend: { device: 'cpu' },
      heatmap: join(out, 'gradient.heatmap.png'),
    });
    expect(Number.isFinite(report.score)).toBe(true);
    expect(report.critique.split(' ').length).toBeGreaterThan(1);
    expect(report.timings.tokens).toBe(6);
    const heatmap = await sharp(report.heatmap).metadata();
    expect([heatmap.width, heatmap.height]).toEqual([120, 80]);
    // The record carries the prompt sent and the measured attributes of the full-size photo.
    // The measured facts follow the paper's instruction.
    // As many whole facts as the critic's tokenizer fits in the budget: at least one, never over it.
    const count = await fixtureCriticTokenCount();
    const told = groundingSentence(groundingFacts(report.attributes), GROUNDING_TOKENS, count);
    expect(told).toMatch(/^Measured: highlights clipped on /);
    expect(count(told)).toBeLessThanOrEqual(GROUNDING_TOKENS);
    expect(report.prompt.endsWith(`Comment on this image from an aesthetic perspective. ${told}`)).toBe(true);
    let luma = 0;
    for (let p = 0; p < 120 * 80; p++) {
      const [r, g, b] = [0, 1, 2].map((c) => ((p * 3 + c) * 7) % 256) as [number, number, number];
      luma += (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 / (120 * 80);
    }
    expect(report.attributes.exposure.meanLuma).toBeCloseTo(luma, 10);
    expect(report.attributes.composition.saliencyCentroid).toHaveLength(2);
  });

  it('critiques with the IAS-ViT encoder with --iasvit (fixture fusion weights)', async () => {
    const photo = await writePng('blocks.png', 96, 64, (i) => (i * 11) % 256);
    const { code, output } = await critique([photo, ...FIXTURE_JSON, '--max-new-tokens', '4', '--iasvit']);
    expect(code).toBe(0);
    const report = JSON.parse(output);
    expect(report.backend).toMatchObject({ device: 'cpu', iasvit: true });
    expect(report.iasvit).toBe('untrained');
    expect(report.timings.tokens).toBe(4);
  });

  it('refuses --iasvit for a pack without trained fusion weights, and without a heatmap', async () => {
    const real = await critique(['x.jpg', '--pack', 'default', '--iasvit'], 'stderr');
    expect(real.code).toBe(2);
    expect(real.output).toContain('IAS-ViT: no trained fusion weights in this pack');
    const noMap = await run(['x.jpg', '--pack', 'fixture', '--iasm', 'none', '--iasvit']);
    expect(noMap).toBe(2);
  });

  it('rejects an unknown pack with the list of known ids', async () => {
    const { code, output } = await critique(['x.jpg', '--pack', 'nope'], 'stderr');
    expect(code).toBe(2);
    expect(output).toMatch(/Known ids: .*fixture-smolvlm/);
  });

  it('uses fusion weights a model folder brings with --iasvit, and refuses all-zero ones', async () => {
    const files = await generateSmolvlmFixture();
    const writeFolder = (name: string, fusion: Uint8Array) =>
      writeFiles(join(out, name), { ...files, [SMOLVLM_FIXTURE_FUSION]: fusion });
    const photo = await writePng('folder.png', 64, 48, () => 90);
    const trained = writeFolder('trained-smolvlm', files[SMOLVLM_FIXTURE_FUSION]!);
    const args = ['--iasm', 'fixture', '--json', '--out', out, '--max-new-tokens', '3', '--iasvit'];
    const { code, output } = await critique([photo, '--pack', trained, ...args]);
    expect(code).toBe(0);
    expect(JSON.parse(output).backend.iasvit).toBe(true);
    expect(JSON.parse(output).iasvit).toBe('trained');

    const fusion = weightsFromSafetensors(files[SMOLVLM_FIXTURE_FUSION]!);
    const zeroed = new Weights(
      new Map(
        fusion.names().map((n) => {
          const w = fusion.get(n);
          return [n, n.includes('out_proj') ? { data: new Float32Array(w.data.length), dims: w.dims } : w];
        }),
      ),
      fusion.metadata,
    );
    const zero = writeFolder('zero-smolvlm', weightsToSafetensors(zeroed));
    const refused = await critique([photo, '--pack', zero, ...args], 'stderr');
    expect(refused.code).toBe(2);
    expect(refused.output).toMatch(/untrained/);
  });
});
