import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DatasetItem } from './datasets.ts';
import { evaluate, scoreResults, type Pipeline } from './evaluate.ts';
import { formatProgress } from './progress.ts';
import { openResultsLog } from './results.node.ts';
import { formatTableI } from './table.ts';

const DATA: DatasetItem[] = Array.from({ length: 12 }, (_, i) => ({
  id: `p${i}`,
  image: `/photos/p${i}.jpg`,
  references: [`photo ${i} has soft light`, `a calm photo`],
}));

// Deterministic test double for the IASM + critic pipeline (tests only).
const echo: Pipeline = async (image) => ({
  critique: `${image.replace(/\D/g, '')} has soft light`,
  score: image.length,
});

describe('evaluate', () => {
  it('runs the pipeline per image, skips done ids, respects the shard, reports progress', async () => {
    const seen: string[] = [];
    const progress: string[] = [];
    const out = await evaluate(DATA, echo, {
      skip: new Set(['p0', 'p1']),
      onResult: (r) => void seen.push(r.id),
      onProgress: (d, t) => progress.push(`${d}/${t}`),
    });
    expect(out.map((r) => r.id)).toEqual(DATA.slice(2).map((d) => d.id));
    expect(seen).toEqual(out.map((r) => r.id));
    expect(progress[0]).toBe('0/10');
    expect(progress.at(-1)).toBe('10/10');
    const shards = await Promise.all([1, 2, 3].map((k) => evaluate(DATA, echo, { shard: { index: k, count: 3 } })));
    expect(
      shards
        .flat()
        .map((r) => r.id)
        .sort(),
    ).toEqual(DATA.map((d) => d.id).sort());
  });

  it('scores results against the references and formats Table I', async () => {
    const results = await evaluate(DATA.slice(0, 3), async (img) => ({
      critique: `photo ${img.replace(/\D/g, '')} has soft light`,
      score: 5,
    }));
    const { metrics } = scoreResults(DATA, results);
    expect(metrics['ROUGE-L']).toBe(1);
    expect(metrics.Precision).toBe(1);
    const table = formatTableI('generic', [{ method: 'test', metrics }], 3);
    expect(table).toContain(
      '| Method | BLEU-1 | BLEU-2 | BLEU-3 | BLEU-4 | METEOR | ROUGE-L | CIDEr | SPICE | SPICE-L | Precision | Recall |',
    );
    expect(table).toMatch(/\| test \| 1\.000 \| .* \| n\/a \| n\/a \| 1\.000 \| 1\.000 \|/);
  });

  it('formats progress with a rate and ETA', () => {
    expect(formatProgress(5, 10, 2500, 10)).toBe('[#####.....] 5/10  50%  2.00 img/s  ETA 00:03');
    expect(formatProgress(0, 10, 0, 10)).toContain('ETA --:--');
  });
});

describe('results log', () => {
  it('cuts an interrupted last line on resume and refuses to overwrite without --resume', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aeslens-results-'));
    const path = join(dir, 'r.jsonl');
    const a = { id: 'a', image: 'a.jpg', critique: 'x', score: 1 };
    await writeFile(path, `${JSON.stringify(a)}\n{"id":"b","ima`);
    expect(() => openResultsLog(path, false)).toThrow('pass --resume');
    const log = openResultsLog(path, true);
    expect(log.previous).toEqual([a]);
    log.append({ id: 'b', image: 'b.jpg', critique: 'y', score: 2 });
    log.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['a', 'b']);
  });
});
