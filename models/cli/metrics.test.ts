import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../metrics/index.ts';

const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/aeslens.mjs');

// Hand-written critiques for photos in ../shared/photos/good.
const REFS = {
  'Elephants.jpg': [
    'The herd is well placed against the plain, but the horizon cuts through the middle of the frame.',
    'Warm light and a clear subject; a lower viewpoint would give the elephants more presence.',
  ],
  'YellowFlower.jpg': [
    'A sharp yellow flower on a soft green background; the shallow depth of field isolates it nicely.',
  ],
  'Storm.jpg': ['Dramatic dark clouds dominate the sky, and the small bright horizon adds tension.'],
};
const CANDS = {
  'Elephants.jpg': 'The herd is well placed, but the horizon cuts the frame in the middle.',
  'YellowFlower.jpg': 'The yellow flower is sharp and the soft green background isolates it.',
  'Storm.jpg': 'Dark clouds dominate the sky and the bright horizon adds drama.',
};

async function files(refs: unknown, cands: unknown): Promise<{ refs: string; cands: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'aeslens-metrics-'));
  const out = { refs: join(dir, 'refs.json'), cands: join(dir, 'cands.json') };
  await writeFile(out.refs, JSON.stringify(refs));
  await writeFile(out.cands, JSON.stringify(cands));
  return out;
}

async function aeslens(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('aeslens metrics', () => {
  it('--json prints exactly the nine paper metrics, in range', async () => {
    const f = await files(REFS, CANDS);
    const { code, stdout } = await aeslens(['metrics', '--refs', f.refs, '--cands', f.cands, '--json']);
    expect(code).toBe(0);
    const m = JSON.parse(stdout) as Record<string, number>;
    expect(Object.keys(m)).toEqual([...METRIC_NAMES]);
    expect(METRIC_NAMES).toHaveLength(9);
    for (const [k, v] of Object.entries(m)) {
      expect(v, k).toBeGreaterThan(0);
      expect(v, k).toBeLessThanOrEqual(k === 'CIDEr' ? 10 : 1);
    }
  }, 60_000);

  it('prints a table with SPICE marked unavailable; identical candidates score 1', async () => {
    const ids = Object.keys(REFS) as (keyof typeof REFS)[];
    const f = await files(REFS, Object.fromEntries(ids.map((id) => [id, REFS[id][0]])));
    const { code, stdout } = await aeslens(['metrics', '--refs', f.refs, '--cands', f.cands]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ROUGE-L\s+1\.0000$/m);
    expect(stdout).toMatch(/^METEOR\s+1\.0000$/m);
    expect(stdout).toMatch(/^SPICE\s+n\/a/m);
  }, 60_000);

  it('names missing and mismatched ids and bad files', async () => {
    const f = await files(REFS, { 'Elephants.jpg': 'x', 'Other.jpg': 'y' });
    const r = await aeslens(['metrics', '--refs', f.refs, '--cands', f.cands]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no candidate for image id(s): YellowFlower.jpg, Storm.jpg');
    expect(r.stderr).toContain('no references for image id(s): Other.jpg');
    const bad = await files({ a: 'not a list' }, { a: 'x' });
    expect((await aeslens(['metrics', '--refs', bad.refs, '--cands', bad.cands])).stderr).toContain(
      'image "a" must map to an array of reference strings',
    );
    expect((await aeslens(['metrics', '--refs', f.refs])).code).toBe(2);
  }, 60_000);
});
