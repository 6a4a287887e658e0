import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/aeslens.mjs');
const TEST_PIPELINE = join(import.meta.dirname, '../testing/evalPipeline.ts');
const PHOTOS = '/work/shared/photos/good';

// A small dataset from the shared photos with hand-written reference critiques.
const CRITIQUES: Record<string, string[]> = {
  'Aqua.jpg': ['Cool aqua tones fill the frame; the texture is the subject.'],
  'Dune.jpg': ['The curve of the dune leads the eye; side light shows the ripples.'],
  'Elephants.jpg': ['The herd is well placed but the horizon cuts the frame in half.'],
  'FreshFlower.jpg': ['A fresh flower against a soft background; shallow focus isolates it.'],
  'GreenMeadow.jpg': ['A green meadow under an open sky, calm but lacking a focal point.'],
  'LadyBird.jpg': ['The ladybird is sharp and bright on the green leaf; good macro work.'],
  'Storm.jpg': ['Dark storm clouds dominate; the thin bright horizon adds tension.'],
  'TwoWings.jpg': ['Two wings frame the centre symmetrically; the background is clean.'],
  'YellowFlower.jpg': ['The yellow flower is sharp; the green background is soft and quiet.'],
  'rocket.jpg': ['The rocket rises through the frame; the smoke trail adds movement.'],
};

async function makeDataset(): Promise<{ dir: string; dataset: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'aeslens-eval-'));
  const dataset = join(dir, 'dataset.jsonl');
  const lines = Object.entries(CRITIQUES).map(([f, references]) =>
    JSON.stringify({ image: join(PHOTOS, f), references }),
  );
  await writeFile(dataset, `${lines.join('\n')}\n`);
  return { dir, dataset };
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function aeslens(args: string[], env: Record<string, string>, killWhen?: () => Promise<boolean>): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let timer: NodeJS.Timeout | undefined;
    if (killWhen) {
      timer = setInterval(() => {
        void killWhen().then((yes) => {
          if (yes) {
            clearInterval(timer);
            child.kill('SIGKILL');
          }
        });
      }, 20);
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(timer);
      resolveRun({ code, signal, stdout, stderr });
    });
  });
}

const ids = async (path: string): Promise<string[]> =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { id: string }).id);

describe('aeslens eval', () => {
  it('resumes after SIGKILL mid-run without duplicates or losses', async () => {
    const { dir, dataset } = await makeDataset();
    const out = join(dir, 'results.jsonl');
    const calls = join(dir, 'calls.txt');
    const env = { AESLENS_TEST_PIPELINE_DELAY_MS: '150', AESLENS_TEST_PIPELINE_CALLS: calls };
    const args = ['eval', '--dataset', dataset, '--pack', 'test', '--out', out, '--pipeline', TEST_PIPELINE];

    const killed = await aeslens(args, env, async () => existsSync(out) && (await ids(out)).length >= 4);
    expect(killed.signal).toBe('SIGKILL');
    const afterKill = await ids(out);
    expect(afterKill.length).toBeGreaterThanOrEqual(4);
    expect(afterKill.length).toBeLessThan(10);

    const refused = await aeslens(args, env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('pass --resume');

    const resumed = await aeslens([...args, '--resume'], env);
    expect(resumed.code).toBe(0);
    const all = await ids(out);
    expect(new Set(all).size).toBe(all.length); // no duplicates
    expect([...all].sort()).toEqual(
      Object.keys(CRITIQUES)
        .map((f) => join(PHOTOS, f))
        .sort(),
    ); // no loss
    expect(all.slice(0, afterKill.length)).toEqual(afterKill); // earlier results kept as they were
    // Work redone: at most the one image in flight when the process was killed.
    const callCount = (await readFile(calls, 'utf8')).trim().split('\n').length;
    expect(callCount).toBeLessThanOrEqual(Object.keys(CRITIQUES).length + 1);
    expect(resumed.stderr).toContain(`${afterKill.length} already in`);
    expect(resumed.stderr).toMatch(/ETA/);
    expect(resumed.stdout).toContain(
      '| Method | BLEU-1 | BLEU-2 | BLEU-3 | BLEU-4 | METEOR | ROUGE-L | CIDEr | SPICE | SPICE-L | Precision | Recall |',
    );
    expect(resumed.stdout).toContain('(10 images)');
  }, 120_000);

  it('shards split the dataset; ablation switches reach the pipeline', async () => {
    const { dir } = await makeDataset();
    const seen: string[] = [];
    for (const k of [1, 2]) {
      const out = join(dir, `shard${k}.jsonl`);
      const r = await aeslens(
        [
          'eval',
          '--dataset',
          dir,
          '--pack',
          'test',
          '--out',
          out,
          '--shard',
          `${k}/2`,
          '--no-guidance',
          '--pipeline',
          TEST_PIPELINE,
        ],
        {},
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('| test (no guidance) |');
      const lines = (await readFile(out, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: string; critique: string });
      expect(lines.every((l) => l.critique.includes('the photo is balanced'))).toBe(true);
      seen.push(...lines.map((l) => l.id));
    }
    expect(seen.sort()).toEqual(
      Object.keys(CRITIQUES)
        .map((f) => join(PHOTOS, f))
        .sort(),
    );
    // Merged shard logs + --resume: nothing pending, so no pipeline is loaded (an unknown pack would fail).
    const merged = join(dir, 'merged.jsonl');
    await writeFile(
      merged,
      (await readFile(join(dir, 'shard1.jsonl'), 'utf8')) + (await readFile(join(dir, 'shard2.jsonl'), 'utf8')),
    );
    const scored = await aeslens(
      ['eval', '--dataset', dir, '--pack', 'no-such-pack', '--out', merged, '--resume', '--method', 'merged'],
      {},
    );
    expect(scored.code, scored.stderr).toBe(0);
    expect(scored.stdout).toContain('(10 images)');
    expect(scored.stdout).toContain('| merged |');
  }, 120_000);

  it('runs the built-in IASM + critic pipeline offline with --pack fixture', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aeslens-eval-fixture-'));
    const dataset = join(dir, 'refs.json');
    const two = ['LadyBird.jpg', 'Storm.jpg'];
    await writeFile(dataset, JSON.stringify(Object.fromEntries(two.map((f) => [join(PHOTOS, f), CRITIQUES[f]]))));
    const out = join(dir, 'results.jsonl');
    const r = await aeslens(['eval', '--dataset', dataset, '--pack', 'fixture', '--out', out], {});
    expect(r.code, r.stderr).toBe(0);
    const lines = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; critique: string; score: number });
    expect(lines.map((l) => l.id)).toEqual(two.map((f) => join(PHOTOS, f)));
    for (const l of lines) {
      expect(typeof l.critique).toBe('string');
      expect(Number.isFinite(l.score)).toBe(true);
    }
    expect(r.stdout).toContain('| fixture |');
    const ablation = await aeslens(
      ['eval', '--dataset', dataset, '--pack', 'fixture', '--out', join(dir, 'x.jsonl'), '--iasvit'],
      {},
    );
    expect(ablation.code, ablation.stderr).toBe(0);
    expect(ablation.stdout).toContain('| fixture + IAS-ViT |');
  }, 300_000);

  it('explains missing arguments and datasets', async () => {
    expect((await aeslens(['eval', '--pack', 'x', '--out', '/tmp/x.jsonl'], {})).code).toBe(2);
    const r = await aeslens(['eval', '--dataset', '/nonexistent/d.jsonl', '--pack', 'x', '--out', '/tmp/x.jsonl'], {});
    expect(r.stderr).toContain('dataset not found: /nonexistent/d.jsonl');
  }, 60_000);
});
