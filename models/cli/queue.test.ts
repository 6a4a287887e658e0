// `aeslens queue` against a real redis-server (started here on 127.0.0.1), with workers as child
// processes running the real CLI and the fixture packs. The oracle for the results is
// `aeslens eval` on the same data: the same JSONL bytes and the same Table I.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runStatus } from '../queue/report.node.ts';
import type { AttributeFacts } from '../attributes/index.ts';
import { makePhotoDataset, PHOTO_HEIGHT, PHOTO_WIDTH, photoPixels } from '../testing/queuePhotos.node.ts';
import { startRedisServer, type RedisServer } from '../testing/redisServer.node.ts';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/aeslens.mjs');
const PHOTOS = 60;
// Short locks and stalled checks so a killed worker's job comes back within seconds, yet long enough
// that a loaded machine delaying a lock renewal does not take a live worker's job.
const WORKER_FLAGS = ['--lock-duration', '8000', '--stalled-interval', '1000', '--poll', '300'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function aeslens(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A `queue work` process and the lines it has logged so far. */
interface WorkerProcess {
  child: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the lines once `test` holds for them. */
  until(test: (lines: string[]) => boolean): Promise<string[]>;
}

/** Workers of the running test: killed when it ends, their logs shown when it fails. */
const running = new Set<WorkerProcess>();

function startWorker(redis: string, extra: string[] = []): WorkerProcess {
  const child = spawn(process.execPath, [BIN, 'queue', 'work', '--redis', redis, ...WORKER_FLAGS, ...extra]);
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  let partial = '';
  child.stderr!.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const w of [...waiters]) w();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const until = (test: (l: string[]) => boolean) =>
    new Promise<string[]>((resolve, reject) => {
      const check = () => {
        if (test(lines)) {
          waiters.splice(waiters.indexOf(check), 1);
          resolve(lines);
        }
      };
      waiters.push(check);
      void exited.then(() => reject(new Error(`worker exited while waiting:\n${lines.join('\n')}`)));
      check();
    });
  const worker = { child, lines, exited, until };
  running.add(worker);
  return worker;
}

/** Image ids the worker logged with `verb` ("start", "done", "returned") for `run`. */
const logged = (lines: readonly string[], verb: string, run: string): string[] =>
  lines.filter((l) => l.startsWith(`${verb} ${run} `)).map((l) => l.split(' ')[2]!);

async function untilStatus(redis: Redis, run: string, test: (s: Awaited<ReturnType<typeof runStatus>>) => boolean) {
  for (;;) {
    const s = await runStatus(redis, run);
    if (test(s)) return s;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('aeslens queue', () => {
  let server: RedisServer;
  let redis: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url, { maxRetriesPerRequest: null });
  });
  beforeEach(({ onTestFailed }) =>
    onTestFailed(() => {
      for (const w of running) console.log(`worker ${w.child.pid}:\n${w.lines.join('\n')}`);
    }),
  );
  afterEach(async () => {
    for (const w of running) w.child.kill('SIGKILL');
    await Promise.all([...running].map((w) => w.exited));
    running.clear();
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('3 workers share 60 photos: a SIGKILLed worker’s job is redone elsewhere, stops are graceful, results equal aeslens eval', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aeslens-queue-'));
    const { dataset, ids } = await makePhotoDataset(dir, PHOTOS);
    const evalOut = join(dir, 'eval.jsonl');
    const evaluated = aeslens(['eval', '--dataset', dataset, '--pack', 'fixture', '--out', evalOut]);

    const submit = ['queue', 'submit', '--redis', server.url, '--data', dataset, '--pack', 'fixture'];
    const first = await aeslens([...submit, '--name', 'photos']);
    expect(first.stdout, first.stderr).toContain(`run photos: ${PHOTOS} photos added, ${PHOTOS} in the run`);
    const again = await aeslens([...submit, '--name', 'photos']);
    expect(again.stdout, again.stderr).toContain(`run photos: 0 photos added, ${PHOTOS} in the run`);

    const maps = ['--maps', join(dir, 'maps')];
    const [w1, w2, w3] = [startWorker(server.url, maps), startWorker(server.url, maps), startWorker(server.url, maps)];
    // SIGKILL the first worker with its third job in hand.
    await w1.until((l) => logged(l, 'start', 'photos').length >= 3);
    w1.child.kill('SIGKILL');
    const killedJob = logged(w1.lines, 'start', 'photos').at(-1)!;
    expect(logged(w1.lines, 'done', 'photos')).not.toContain(killedJob);
    expect((await w1.exited).signal).toBe('SIGKILL');

    // SIGTERM the second with a job in hand: it finishes that job, then exits.
    await w2.until((l) => logged(l, 'start', 'photos').length >= 6);
    w2.child.kill('SIGTERM');
    const w2Exit = await w2.exited;
    expect(w2Exit.code, w2.lines.join('\n')).toBe(0);
    const w2Last = logged(w2.lines, 'start', 'photos').at(-1)!;
    expect(logged(w2.lines, 'done', 'photos')).toContain(w2Last);
    expect(w2.lines).toContain('worker stopped');

    // Signal the third twice with a job in hand: it returns the job to the queue and exits.
    await w3.until((l) => logged(l, 'start', 'photos').length >= 10);
    w3.child.kill('SIGTERM');
    // One signal at a time: two pending SIGTERMs would merge into one.
    await w3.until((l) => l.some((x) => x.startsWith('SIGTERM: finishing')));
    w3.child.kill('SIGTERM');
    expect((await w3.exited).code, w3.lines.join('\n')).toBe(0);
    const w3Returned = logged(w3.lines, 'returned', 'photos');

    // A fourth worker, holding two jobs at a time, finishes the run.
    const w4 = startWorker(server.url, [...maps, '--concurrency', '2']);
    const end = await untilStatus(redis, 'photos', (s) => s.done + s.failed.length === PHOTOS);
    expect(end.failed).toEqual([]);
    w4.child.kill('SIGTERM');
    expect((await w4.exited).code).toBe(0);

    const workers = [w1, w2, w3, w4];
    const done = workers.flatMap((w) => logged(w.lines, 'done', 'photos'));
    expect([...done].sort()).toEqual(ids); // every photo completed exactly once
    const redoneBy = workers.filter((w) => logged(w.lines, 'done', 'photos').includes(killedJob));
    expect(redoneBy).toHaveLength(1);
    expect(redoneBy[0]).not.toBe(w1);
    expect(workers.some((w) => w.lines.some((l) => l.startsWith('stalled photos ')))).toBe(true);
    // The returned job was abandoned by the third worker and completed by another.
    expect(w3Returned).toEqual([logged(w3.lines, 'start', 'photos').at(-1)]);
    expect(logged(w3.lines, 'done', 'photos')).not.toContain(w3Returned[0]);

    const status = await aeslens(['queue', 'status', '--redis', server.url, '--name', 'photos']);
    expect(status.stdout, status.stderr).toContain(`done ${PHOTOS} · running 0 · queued 0 · retrying 0 · failed 0`);
    expect(status.stdout).toContain(`${PHOTOS}/${PHOTOS} 100%`);
    expect(status.stdout).toContain('finished');

    const queuedOut = join(dir, 'queued.jsonl');
    const results = await aeslens(['queue', 'results', '--redis', server.url, '--name', 'photos', '--out', queuedOut]);
    expect(results.code, results.stderr).toBe(0);
    const reference = await evaluated;
    expect(reference.code, reference.stderr).toBe(0);
    expect(await readFile(queuedOut, 'utf8')).toBe(await readFile(evalOut, 'utf8'));
    expect(results.stdout).toBe(reference.stdout);
    expect(results.stdout).toContain(`(${PHOTOS} images)`);
    expect(results.stdout).toContain('| fixture |');

    // --details: each result's heatmap PNG and measured attributes (mean luma against float64 on the
    // generated pixels), and the worker that made it.
    const detailedOut = join(dir, 'detailed.jsonl');
    const detailed = await aeslens(
      ['queue', 'results', '--redis', server.url, '--name', 'photos', '--out', detailedOut].concat(['--details']),
    );
    expect(detailed.code, detailed.stderr).toBe(0);
    const rows = (await readFile(detailedOut, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; map: string; worker: string; measurements: AttributeFacts });
    expect(rows.map((r) => r.id)).toEqual(ids);
    const pids = new Set(workers.map((w) => `${hostname()}/${w.child.pid}`));
    for (const [i, row] of rows.entries()) {
      expect(await sharp(row.map).metadata()).toMatchObject({
        format: 'png',
        width: PHOTO_WIDTH,
        height: PHOTO_HEIGHT,
      });
      const px = photoPixels(i);
      let luma = 0;
      for (let p = 0; p < px.length; p += 3) luma += 0.2126 * px[p]! + 0.7152 * px[p + 1]! + 0.0722 * px[p + 2]!;
      expect(row.measurements.exposure.meanLuma).toBeCloseTo(luma / (px.length / 3) / 255, 9);
      expect(row.measurements.exposure).not.toHaveProperty('histogram');
      expect(row.measurements.composition.saliencyCentroid).toHaveLength(2);
      expect(pids.has(row.worker)).toBe(true);
    }
  }, 480_000);

  it('a job that always fails ends as failed with its reason after the retries', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aeslens-queue-fail-'));
    await makePhotoDataset(dir, 1);
    await writeFile(join(dir, 'broken.jpg'), 'not a JPEG at all');
    const dataset = join(dir, 'broken.jsonl');
    await writeFile(
      dataset,
      [
        JSON.stringify({ image: 'photo00.png', references: ['A soft photo.'] }),
        JSON.stringify({ image: 'broken.jpg', references: ['A broken file.'] }),
      ].join('\n'),
    );
    const submitted = await aeslens(
      ['queue', 'submit', '--redis', server.url, '--data', dataset, '--pack', 'fixture', '--name', 'broken'].concat([
        '--attempts',
        '3',
        '--backoff',
        '100',
      ]),
    );
    expect(submitted.stdout, submitted.stderr).toContain('run broken: 2 photos added');
    const worker = startWorker(server.url, ['--name', 'broken']);
    await untilStatus(redis, 'broken', (s) => s.done + s.failed.length === 2);
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    expect(worker.lines.filter((l) => l.startsWith('retry broken broken.jpg'))).toHaveLength(2);
    expect(worker.lines.filter((l) => l.startsWith('failed broken broken.jpg (attempt 3)'))).toHaveLength(1);

    const status = await aeslens(['queue', 'status', '--redis', server.url, '--name', 'broken']);
    expect(status.stdout).toContain('done 1 · running 0 · queued 0 · retrying 0 · failed 1');
    expect(status.stdout).toMatch(/broken\.jpg \(3 attempts\): .*unsupported image format/);
    const results = await aeslens(['queue', 'results', '--redis', server.url, '--name', 'broken']);
    expect(results.stderr).toContain('1 of 2 photos done (1 failed or not done yet)');
    expect(results.stdout).toContain('(1 images)');
  }, 120_000);

  it('explains an unreachable Redis and an unknown run', async () => {
    const unreachable = await aeslens(['queue', 'status', '--redis', 'redis://127.0.0.1:1', '--name', 'x']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach Redis at redis://127.0.0.1:1');
    const unknown = await aeslens(['queue', 'results', '--redis', server.url, '--name', 'nope']);
    expect(unknown.stderr).toContain('no run "nope" in this Redis');
  });
});
