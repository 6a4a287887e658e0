// Queue throughput and overhead on this machine with the fixture packs: photos/s with 1, 2 and 4
// `aeslens queue work` processes (each its own models), and the queue's cost per job against the
// `aeslens eval` loop (the same pipeline, in process). Rates count only the window in which every
// worker has its models loaded and work left, so start-up and the drained tail do not count.
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadDataset } from '../models/eval/datasets.node.ts';
import { evaluate } from '../models/eval/evaluate.ts';
import { createIasmCriticPipeline } from '../models/eval/pipeline.node.ts';
import { runStatus } from '../models/queue/report.node.ts';
import { makePhotoDataset } from '../models/testing/queuePhotos.node.ts';
import { startRedisServer } from '../models/testing/redisServer.node.ts';
import type { BenchResult } from './types.ts';

const BIN = new URL('../bin/aeslens.mjs', import.meta.url).pathname;
const PHOTOS = 40;
const WORKER_COUNTS = [1, 2, 4];

interface Window {
  photosPerSecond: number;
  wallMsPerJob: number;
  processingMsPerJob: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `workers` fresh worker processes over a fresh run of all photos; measures the busy window. */
async function measure(url: string, redis: Redis, dataset: string, name: string, workers: number): Promise<Window> {
  const events: { at: number; line: string }[] = [];
  const children = Array.from({ length: workers }, () => {
    const child = spawn(process.execPath, [BIN, 'queue', 'work', '--redis', url, '--name', name, '--poll', '200']);
    let partial = '';
    child.stderr.on('data', (d: Buffer) => {
      const parts = (partial + d.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) events.push({ at: performance.now(), line });
    });
    return child;
  });
  const exits = children.map((c) => new Promise<void>((resolve) => c.on('close', () => resolve())));
  const submit = ['queue', 'submit', '--redis', url, '--data', dataset, '--pack', 'fixture', '--name', name];
  await new Promise((resolve) => spawn(process.execPath, [BIN, ...submit]).on('close', resolve));
  for (;;) {
    const s = await runStatus(redis, name);
    if (s.done + s.failed.length === s.total) {
      if (s.failed.length > 0) throw new Error(`${name}: ${s.failed[0]!.reason}`);
      break;
    }
    await sleep(200);
  }
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(exits);

  const serving = events.filter((e) => e.line.startsWith(`serving run ${name} `));
  if (serving.length < workers) throw new Error(`${name}: only ${serving.length} of ${workers} workers took jobs`);
  const from = Math.max(...serving.map((e) => e.at));
  const done = events.filter((e) => e.line.startsWith(`done ${name} `));
  // End while every worker still had a job: when the last `workers` photos remained.
  const to = done[done.length - workers]!.at;
  const inWindow = done.filter((e) => e.at > from && e.at <= to);
  const ms = inWindow.map((e) => Number(/ (\d+) ms$/.exec(e.line)?.[1]));
  return {
    photosPerSecond: (inWindow.length * 1000) / (to - from),
    wallMsPerJob: ((to - from) * workers) / inWindow.length,
    processingMsPerJob: ms.reduce((a, b) => a + b, 0) / ms.length,
  };
}

export default async function queueBench(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'aeslens-queue-bench-'));
  const { dataset } = await makePhotoDataset(dir, PHOTOS);
  const note = `${PHOTOS} photos 48×36, fixture packs; load avg ${loadavg()[0]?.toFixed(1)}`;

  // The aeslens eval loop on the same photos, models loaded before the clock starts.
  const items = loadDataset(dataset).items;
  const pipeline = await createIasmCriticPipeline({ pack: 'fixture', guidance: true, iasvit: false });
  await pipeline(items[0]!.image);
  const t0 = performance.now();
  await evaluate(items, pipeline);
  const evalMsPerJob = (performance.now() - t0) / items.length;
  await pipeline.dispose();

  const server = await startRedisServer();
  const redis = new Redis(server.url, { maxRetriesPerRequest: null });
  const results: BenchResult[] = [
    { name: 'aeslens eval loop', value: 1000 / evalMsPerJob, unit: 'photos/s', note: `${note}; one process` },
  ];
  try {
    for (const workers of WORKER_COUNTS) {
      const w = await measure(server.url, redis, dataset, `bench-${workers}`, workers);
      results.push({
        name: `queue, ${workers} worker${workers > 1 ? 's' : ''}`,
        value: w.photosPerSecond,
        unit: 'photos/s',
        note: `${note}; ${w.processingMsPerJob.toFixed(0)} ms processing per photo`,
      });
      if (workers === 1) {
        results.push(
          {
            name: 'queue overhead per job (1 worker: wall − processing)',
            value: w.wallMsPerJob - w.processingMsPerJob,
            unit: 'ms',
            note: `${w.wallMsPerJob.toFixed(0)} ms wall per job`,
          },
          {
            name: 'queue time per job / aeslens eval time per job (1 worker)',
            value: w.wallMsPerJob / evalMsPerJob,
            unit: '×',
            note: `eval ${evalMsPerJob.toFixed(0)} ms per photo`,
          },
        );
      }
    }
  } finally {
    redis.disconnect();
    await server.stop();
  }
  return results;
}
