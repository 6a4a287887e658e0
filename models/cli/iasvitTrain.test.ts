import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readSafetensors } from '../safetensors/safetensors.ts';
import { run as critique } from './critique.ts';
import { run } from './iasvit.ts';

const dir = mkdtempSync(join(tmpdir(), 'aeslens-iasvit-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function capture(fn: () => Promise<number>): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
  const code = await fn().finally(() => (o.mockRestore(), e.mockRestore()));
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** A small photo: a bright square on a dark ground at (x, y). */
async function photo(name: string, x: number, y: number): Promise<string> {
  const w = 64;
  const px = Buffer.alloc(w * w * 3, 30);
  for (let j = y; j < y + 20; j++) for (let i = x; i < x + 20; i++) px.fill(220, (j * w + i) * 3, (j * w + i) * 3 + 3);
  const path = join(dir, name);
  await sharp(px, { raw: { width: w, height: w, channels: 3 } })
    .png()
    .toFile(path);
  return path;
}

describe('aeslens iasvit train', () => {
  it('trains the fixture pack on a JSON dataset, writes a model folder that critique loads as trained', async () => {
    const items = [
      { image: await photo('a.png', 4, 4), references: ['A bright square at the top left.'] },
      { image: await photo('b.png', 40, 40), references: ['A bright square at the bottom right.'] },
      { image: await photo('c.png', 40, 4), references: ['A bright square at the top right.'] },
    ];
    const data = join(dir, 'dataset.json');
    writeFileSync(data, JSON.stringify(items));
    const out = join(dir, 'trained');
    const args = [
      'train',
      '--pack',
      'fixture-smolvlm',
      '--data',
      data,
      '--out',
      out,
      '--steps',
      '2',
      '--accumulate',
      '1',
    ];
    const first = await capture(() => run([...args, '--lr', '1e-3', '--checkpoint-every', '1']));
    expect(first.stderr).toMatch(/step 2\/2 {2}loss \d+\.\d+ {2}val \d+\.\d+ .*ETA 0s/);
    expect(first.code).toBe(0);
    const file = readSafetensors(new Uint8Array(await readFile(join(out, 'iasvit', 'fusion.safetensors'))));
    expect(file.metadata).toMatchObject({
      trained: 'true',
      base_pack: 'fixture-smolvlm',
      dataset: 'generic:dataset.json',
      steps: '2',
      heads: '2',
    });
    expect(Number(file.metadata.train_loss)).toBeGreaterThan(0);
    expect(Number(file.metadata.val_loss)).toBeGreaterThan(0);
    expect(file.tensors.has('ias.blocks.1.cross_attn.out_proj.weight')).toBe(true);
    expect(existsSync(join(out, 'iasvit', 'checkpoint.safetensors'))).toBe(true);
    expect(existsSync(join(out, 'config.json'))).toBe(true);

    // Resuming a finished run with the same settings takes no further step; other settings are refused.
    const resumed = await capture(() => run([...args, '--lr', '1e-3', '--checkpoint-every', '1', '--resume']));
    expect(resumed.stderr).toContain('resuming at step 2/2');
    expect(resumed.stderr).not.toMatch(/step \d\/2 /);
    const other = await capture(() => run([...args, '--lr', '2e-3', '--checkpoint-every', '1', '--resume']));
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/other settings/);

    const report = await capture(() =>
      critique([
        items[0]!.image,
        '--pack',
        out,
        '--iasm',
        'fixture',
        '--iasvit',
        '--json',
        '--out',
        dir,
        '--max-new-tokens',
        '2',
      ]),
    );
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ iasvit: 'trained', backend: { iasvit: true } });
  }, 180_000);

  it('says what is missing', async () => {
    const r = await capture(() => run(['train', '--pack', 'fixture-smolvlm']));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--pack, --data and --out are required[\s\S]*Usage: aeslens iasvit train/);
    const hub = await capture(() =>
      run(['train', '--pack', 'smolvlm-256m', '--data', join(dir, 'dataset.json'), '--out', join(dir, 'x')]),
    );
    expect(hub.code).toBe(2);
    expect(hub.stderr).toMatch(/download its files into a folder/);
  });
});
