import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { generateSmolvlmFixture, SMOLVLM_FIXTURE_FUSION } from '../fixtures/smolvlm.ts';
import { Weights, weightsFromSafetensors, weightsToSafetensors } from '../vit/weights.ts';
import { run } from './critique.ts';

const out = mkdtempSync(join(tmpdir(), 'aeslens-critique-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('aeslens critique', () => {
  it('scores, writes the heatmap and critiques a photo offline with --pack fixture', async () => {
    const photo = join(out, 'gradient.png');
    const pixels = Buffer.alloc(120 * 80 * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7) % 256;
    await sharp(pixels, { raw: { width: 120, height: 80, channels: 3 } })
      .png()
      .toFile(photo);

    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const code = await run([photo, '--pack', 'fixture', '--json', '--out', out, '--max-new-tokens', '6']).finally(() =>
      write.mockRestore(),
    );
    expect(code).toBe(0);
    const report = JSON.parse(lines.join(''));
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
  });

  it('critiques with the IAS-ViT encoder with --iasvit (fixture fusion weights)', async () => {
    const photo = join(out, 'blocks.png');
    const pixels = Buffer.alloc(96 * 64 * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 11) % 256;
    await sharp(pixels, { raw: { width: 96, height: 64, channels: 3 } })
      .png()
      .toFile(photo);
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const code = await run([
      photo,
      '--pack',
      'fixture',
      '--json',
      '--out',
      out,
      '--max-new-tokens',
      '4',
      '--iasvit',
    ]).finally(() => write.mockRestore());
    expect(code).toBe(0);
    const report = JSON.parse(lines.join(''));
    expect(report.backend).toMatchObject({ device: 'cpu', iasvit: true });
    expect(report.timings.tokens).toBe(4);
  });

  it('refuses --iasvit for a pack without trained fusion weights, and without a heatmap', async () => {
    const messages: string[] = [];
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      messages.push(String(chunk));
      return true;
    });
    const real = await run(['x.jpg', '--pack', 'default', '--iasvit']).finally(() => err.mockRestore());
    expect(real).toBe(2);
    expect(messages.join('')).toContain('IAS-ViT: no trained fusion weights in this pack');
    const noMap = await run(['x.jpg', '--pack', 'fixture', '--iasm', 'none', '--iasvit']);
    expect(noMap).toBe(2);
  });

  it('rejects an unknown pack with the list of known ids', async () => {
    const messages: string[] = [];
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      messages.push(String(chunk));
      return true;
    });
    const code = await run(['x.jpg', '--pack', 'nope']).finally(() => err.mockRestore());
    expect(code).toBe(2);
    expect(messages.join('')).toMatch(/Known ids: .*fixture-smolvlm/);
  });

  it('uses fusion weights a model folder brings with --iasvit, and refuses all-zero ones', async () => {
    const files = await generateSmolvlmFixture();
    const writeFolder = (name: string, fusion: Uint8Array) => {
      const dir = join(out, name);
      for (const [path, bytes] of Object.entries({ ...files, [SMOLVLM_FIXTURE_FUSION]: fusion })) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), bytes);
      }
      return dir;
    };
    const photo = join(out, 'folder.png');
    await sharp(Buffer.alloc(64 * 48 * 3, 90), { raw: { width: 64, height: 48, channels: 3 } })
      .png()
      .toFile(photo);
    const trained = writeFolder('trained-smolvlm', files[SMOLVLM_FIXTURE_FUSION]!);
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const args = ['--iasm', 'fixture', '--json', '--out', out, '--max-new-tokens', '3', '--iasvit'];
    const code = await run([photo, '--pack', trained, ...args]).finally(() => write.mockRestore());
    expect(code).toBe(0);
    expect(JSON.parse(lines.join('')).backend.iasvit).toBe(true);

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
    const messages: string[] = [];
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      messages.push(String(chunk));
      return true;
    });
    const zero = writeFolder('zero-smolvlm', weightsToSafetensors(zeroed));
    const refused = await run([photo, '--pack', zero, ...args]).finally(() => err.mockRestore());
    expect(refused).toBe(2);
    expect(messages.join('')).toMatch(/untrained/);
  });
});
