// `queue status` and `queue results`: what BullMQ holds about a run, read back — counts per state,
// the failed jobs with their reasons, and the completed jobs' results in dataset order.
import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DatasetItem } from '../eval/datasets.ts';
import { queueName, runKey, type QueueJobData, type QueueJobResult, type RunMeta } from './runs.node.ts';
import { readRunMeta } from './submit.node.ts';

export interface FailedJob {
  id: string;
  image: string;
  reason: string;
  attempts: number;
}

export interface RunStatus {
  run: RunMeta;
  total: number;
  done: number;
  running: number;
  /** Waiting, including jobs waiting out a retry backoff. */
  queued: number;
  /** Jobs that failed an attempt and wait to be retried. */
  retrying: number;
  failed: FailedJob[];
  /** When the first job started (ms since the epoch), if one has. */
  startedAt: number | null;
}

/** Jobs read per round trip. */
const PAGE = 1000;

type RunJob = Job<QueueJobData, QueueJobResult>;

async function openRun(redis: Redis, name: string): Promise<{ run: RunMeta; queue: Queue<QueueJobData> }> {
  const run = await readRunMeta(redis, name);
  if (!run) throw new Error(`no run "${name}" in this Redis (submit it with aeslens queue submit)`);
  return { run, queue: new Queue<QueueJobData>(queueName(name), { connection: redis }) };
}

async function allJobs(queue: Queue<QueueJobData>, state: 'completed' | 'failed'): Promise<RunJob[]> {
  const jobs: RunJob[] = [];
  for (let start = 0; ; start += PAGE) {
    const page = (await queue.getJobs([state], start, start + PAGE - 1)) as RunJob[];
    jobs.push(...page.filter((j) => j !== undefined));
    if (page.length < PAGE) return jobs;
  }
}

export async function runStatus(redis: Redis, name: string): Promise<RunStatus> {
  const { run, queue } = await openRun(redis, name);
  try {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed');
    const failed = (await allJobs(queue, 'failed'))
      .sort((a, b) => a.data.index - b.data.index)
      .map((j) => ({ id: j.data.id, image: j.data.image, reason: j.failedReason, attempts: j.attemptsMade }));
    const started = await redis.hget(runKey(name), 'started');
    const queued = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
    return {
      run,
      total: run.total,
      done: counts.completed ?? 0,
      running: counts.active ?? 0,
      queued,
      retrying: counts.delayed ?? 0,
      failed,
      startedAt: started ? Number(started) : null,
    };
  } finally {
    await queue.close();
  }
}

export interface RunResults {
  run: RunMeta;
  /** The run's photos as dataset items (their references travel with the jobs). */
  items: DatasetItem[];
  results: QueueJobResult[];
}

/** Every completed result, in dataset order. */
export async function runResults(redis: Redis, name: string): Promise<RunResults> {
  const { run, queue } = await openRun(redis, name);
  try {
    const done = (await allJobs(queue, 'completed')).sort((a, b) => a.data.index - b.data.index);
    return {
      run,
      items: done.map((j) => ({ id: j.data.id, image: j.data.image, references: j.data.references })),
      results: done.map((j) => j.returnvalue),
    };
  } finally {
    await queue.close();
  }
}
