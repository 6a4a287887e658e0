// `aeslens queue submit|work|status|results`: batch critique and evaluation over a Redis-backed
// BullMQ job queue, one job per photo, consumed by any number of workers on any machines. Results
// come back in the JSONL and Table I layout of `aeslens eval`.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Redis } from 'ioredis';
import { messageOf } from '../common/errors.ts';
import { scoreResults, type EvalResult } from '../eval/evaluate.ts';
import { formatTableI } from '../eval/table.ts';
import { resolvePackSelection } from '../packs/registry.ts';
import { loadQueueData } from '../queue/data.node.ts';
import { createPhotoProcessor } from '../queue/process.node.ts';
import { connectRedis, RedisUnreachableError } from '../queue/redis.node.ts';
import { runResults, runStatus } from '../queue/report.node.ts';
import { checkRunName, defaultRunName } from '../queue/runs.node.ts';
import { formatStatus } from '../queue/status.ts';
import { submitRun } from '../queue/submit.node.ts';
import { startQueueWorker } from '../queue/worker.node.ts';
import { loadPipelineFactory, methodName } from './eval.ts';

export const USAGE = `Usage: aeslens queue <submit|work|status|results> --redis redis://host:port [options]
  submit  --data <dataset|folder> [--images <dir>] [--pack <pack>] [--name <run>] [--no-guidance] [--iasvit]
          [--attempts N] [--backoff ms]
          one job per photo; --data is any dataset aeslens eval reads, or a folder of photos without
          .json files (no metrics).
          Submitting the same run again adds only photos it lacks. Default pack: default; default name:
          the data's folder or file name. Jobs are tried --attempts times (3), --backoff ms apart,
          doubling (10000).
  work    [--concurrency N] [--name <run>] [--maps <dir>] [--pipeline <module>]
          [--lock-duration ms] [--stalled-interval ms] [--poll ms]
          processes jobs of every run with work left (or only --name), holding N per run (1); the
          models take one photo at a time, so N > 1 only overlaps reading, measuring and Redis with it.
          --maps writes <dir>/<run>/<photo>-<hash>.heatmap.png. A job whose worker dies is handed to
          another worker once its lock (--lock-duration, 60000) expires, found by the check every
          --stalled-interval ms (30000). New runs are looked for every --poll ms (5000).
          SIGINT/SIGTERM: finish the jobs in hand, then exit; a second signal returns them to the queue.
  status  --name <run>   progress across all workers: done, running, queued, retrying, failed with reasons, ETA
  results --name <run> [--out results.jsonl] [--details] [--force]
          the completed results as aeslens eval's JSONL (--details adds the heatmap path, the measured
          attributes, the worker and its time) and its
          Table I metrics; an existing --out is kept unless --force.
`;

class UsageError extends Error {}

const COMMON = { redis: { type: 'string' } } as const;

const OPTIONS = {
  submit: {
    ...COMMON,
    data: { type: 'string' },
    images: { type: 'string' },
    pack: { type: 'string', default: 'default' },
    name: { type: 'string' },
    'no-guidance': { type: 'boolean', default: false },
    iasvit: { type: 'boolean', default: false },
    attempts: { type: 'string', default: '3' },
    backoff: { type: 'string', default: '10000' },
  },
  work: {
    ...COMMON,
    concurrency: { type: 'string', default: '1' },
    name: { type: 'string' },
    maps: { type: 'string' },
    pipeline: { type: 'string' },
    'lock-duration': { type: 'string', default: '60000' },
    'stalled-interval': { type: 'string', default: '30000' },
    poll: { type: 'string', default: '5000' },
  },
  status: { ...COMMON, name: { type: 'string' } },
  results: {
    ...COMMON,
    name: { type: 'string' },
    out: { type: 'string' },
    details: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
  },
} as const satisfies Record<string, ParseArgsConfig['options']>;

type Sub = keyof typeof OPTIONS;
type Values = Record<string, string | boolean | undefined>;

function positiveInt(values: Values, key: string, min = 1): number {
  const n = Number(values[key]);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${key} takes an integer ≥ ${min}`);
  return n;
}

function required(values: Values, key: string): string {
  const v = values[key];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${key} is required`);
  return v;
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (!(sub in OPTIONS)) return usageError(`unknown sub-command "${sub}"`);
  let redis: Redis | undefined;
  try {
    const { values } = parseArgs({ args: rest, options: OPTIONS[sub as Sub], strict: true }) as { values: Values };
    redis = await connectRedis(required(values, 'redis'));
    if (sub === 'submit') return await submit(redis, values);
    if (sub === 'work') return await work(redis, values);
    if (sub === 'status') return await status(redis, values);
    return await results(redis, values);
  } catch (err) {
    if (err instanceof RedisUnreachableError) {
      process.stderr.write(`aeslens queue ${sub}: ${err.message}\n`);
      return 1;
    }
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err)) return usageError(err.message, sub);
    throw err;
  } finally {
    redis?.disconnect();
  }
}

function usageError(message: string, sub?: string): number {
  process.stderr.write(`aeslens queue${sub ? ` ${sub}` : ''}: ${message}\n\n${USAGE}`);
  return 2;
}

async function submit(redis: Redis, values: Values): Promise<number> {
  const dataPath = required(values, 'data');
  const pack = values.pack as string;
  try {
    resolvePackSelection(pack);
  } catch (err) {
    throw new UsageError(messageOf(err));
  }
  const name = typeof values.name === 'string' ? checkRunName(values.name) : defaultRunName(dataPath);
  const data = loadQueueData(dataPath, values.images as string | undefined);
  const { added, total } = await submitRun(redis, name, data, {
    pack,
    guidance: values['no-guidance'] !== true,
    iasvit: values.iasvit === true,
    attempts: positiveInt(values, 'attempts'),
    backoffMs: positiveInt(values, 'backoff', 0),
  });
  process.stdout.write(`run ${name}: ${added} photos added, ${total} in the run (${data.format}, ${data.source})\n`);
  return 0;
}

async function work(redis: Redis, values: Values): Promise<number> {
  const factory = await loadPipelineFactory(values.pipeline as string | undefined);
  const processor = createPhotoProcessor({ factory, ...(values.maps ? { maps: values.maps as string } : {}) });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const worker = startQueueWorker({
    redis,
    processor,
    concurrency: positiveInt(values, 'concurrency'),
    lockDurationMs: positiveInt(values, 'lock-duration', 100),
    stalledIntervalMs: positiveInt(values, 'stalled-interval', 100),
    pollMs: positiveInt(values, 'poll', 100),
    ...(values.name ? { only: checkRunName(values.name as string) } : {}),
    log,
  });
  // Listeners stay installed from the start, so no signal ever meets the default (kill) action.
  let returned = false;
  const stopRequested = new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals === 1) {
        log(`${signal}: finishing the jobs in hand (signal again to return them to the queue)`);
        resolve();
      } else if (!returned) {
        returned = true;
        log('returning the jobs in hand to the queue');
        worker.returnJobs();
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  log(`worker ${process.pid} ready: waiting for jobs (SIGINT/SIGTERM to stop)`);
  await stopRequested;
  await worker.stop();
  // A returned job's pipeline call may still be running: leave its models alone.
  if (!returned) await processor.dispose();
  log('worker stopped');
  return 0;
}

async function status(redis: Redis, values: Values): Promise<number> {
  const s = await runStatus(redis, checkRunName(required(values, 'name')));
  process.stdout.write(
    formatStatus({ ...s, name: s.run.name, pack: s.run.pack, source: s.run.source, failed: s.failed }, Date.now()),
  );
  return 0;
}

async function results(redis: Redis, values: Values): Promise<number> {
  const name = checkRunName(required(values, 'name'));
  const out = values.out as string | undefined;
  if (out && existsSync(out) && statSync(out).size > 0 && values.force !== true) {
    throw new UsageError(`${out} already exists; pass --force to replace it or choose another --out`);
  }
  const { run, items, results: done } = await runResults(redis, name);
  if (out) {
    const line = (r: (typeof done)[number]): string => {
      const base: EvalResult = { id: r.id, image: r.image, critique: r.critique, score: r.score };
      return JSON.stringify(
        values.details ? { ...base, map: r.map, measurements: r.measurements, worker: r.worker, ms: r.ms } : base,
      );
    };
    writeFileSync(out, done.map((r) => `${line(r)}\n`).join(''));
  }
  const missing = run.total - done.length;
  process.stderr.write(
    `run ${name}: ${done.length} of ${run.total} photos done${missing ? ` (${missing} failed or not done yet)` : ''}` +
      `${out ? `, written to ${out}` : ''}\n`,
  );
  if (done.length === 0) {
    process.stdout.write('No images evaluated.\n');
    return 0;
  }
  if (run.format === 'photos') {
    process.stdout.write(`${done.length} photos critiqued (a photo folder has no references: no metrics).\n`);
    return 0;
  }
  const { metrics } = scoreResults(items, done);
  const method = methodName(run.pack, run.guidance, run.iasvit);
  process.stdout.write(formatTableI(`${run.format} — ${run.source}`, [{ method, metrics }], done.length));
  return 0;
}
