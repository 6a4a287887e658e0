import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadQueueData } from './data.node.ts';
import { checkRunName, defaultRunName, jobIdFor } from './runs.node.ts';
import { formatStatus } from './status.ts';

describe('run names and job ids', () => {
  it('derives a run name from the data path and refuses names Redis keys and BullMQ cannot hold', () => {
    expect(defaultRunName('/data/pccd/guru_test.json')).toBe('guru_test.json');
    expect(defaultRunName('/archive/2024 holiday/')).toBe('2024-holiday');
    expect(() => checkRunName('a:b')).toThrow(/run name "a:b"/);
    expect(() => checkRunName('-x')).toThrow();
    expect(checkRunName('dpc2022.test-1')).toBe('dpc2022.test-1');
  });

  it('gives one BullMQ-valid id per image id', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `images/${i}.jpg`);
    const jobIds = ids.map(jobIdFor);
    expect(new Set(jobIds).size).toBe(ids.length);
    for (const id of jobIds) expect(id).toMatch(/^img-[0-9a-f]{40}$/);
    expect(jobIdFor('images/7.jpg')).toBe(jobIds[7]);
  });
});

describe('loadQueueData', () => {
  it('takes a folder of photos (recursively, no references) and a dataset folder as aeslens eval does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aeslens-queue-data-'));
    await mkdir(join(dir, 'trip'));
    await writeFile(join(dir, 'b.JPG'), 'x');
    await writeFile(join(dir, 'trip', 'a.png'), 'x');
    await writeFile(join(dir, 'notes.txt'), 'x');
    const photos = loadQueueData(dir);
    expect(photos.format).toBe('photos');
    expect(photos.items).toEqual([
      { id: 'b.JPG', image: join(dir, 'b.JPG'), references: [] },
      { id: join('trip', 'a.png'), image: join(dir, 'trip', 'a.png'), references: [] },
    ]);

    await writeFile(join(dir, 'dataset.jsonl'), `${JSON.stringify({ image: 'b.JPG', references: ['Good.'] })}\n`);
    const dataset = loadQueueData(dir);
    expect(dataset.format).toBe('generic');
    expect(dataset.items).toEqual([{ id: 'b.JPG', image: join(dir, 'b.JPG'), references: ['Good.'] }]);

    expect(() => loadQueueData(join(dir, 'missing'))).toThrow(`dataset not found: ${join(dir, 'missing')}`);
    const empty = await mkdtemp(join(tmpdir(), 'aeslens-queue-empty-'));
    expect(() => loadQueueData(empty)).toThrow('no dataset file and no photos');
  });
});

describe('formatStatus', () => {
  it('counts done and failed as ended, and gives the rate and ETA from the first job start', () => {
    const text = formatStatus(
      {
        name: 'r',
        pack: 'fixture',
        source: 'd.jsonl',
        total: 10,
        done: 3,
        running: 2,
        queued: 3,
        retrying: 1,
        failed: [{ id: 'x.jpg', reason: 'unsupported image format', attempts: 3 }],
        startedAt: 0,
      },
      8000,
    );
    // 4 ended in 8 s: 0.5 photos/s, 6 left: 12 s.
    expect(text).toContain('4/10  40%  0.50 img/s  ETA 00:12');
    expect(text).toContain('done 3 · running 2 · queued 3 · retrying 1 · failed 1');
    expect(text).toContain('  x.jpg (3 attempts): unsupported image format');
    expect(text).not.toContain('finished');
  });
});
