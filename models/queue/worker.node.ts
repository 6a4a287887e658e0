// `queue work`: serves every submitted run that has work left (or the one named), one BullMQ worker
// per run queue. BullMQ gives the guarantees: a job is held under a lock the worker renews; a job
// whose worker dies loses its lock and the stalled check hands it to another worker; a failed job
// is retried with backoff until its attempts are spent; a job whose lock was lost cannot be
// completed by its old holder, so no photo gets two results.
import { Queue, Worker, WaitingError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { messageOf } from '../common/errors.ts';
import type { PhotoProcessor } from './process.node.ts';
import { queueName, runKey, RUNS_KEY, type QueueJobData, type QueueJobResult, type RunMeta } from './runs.node.ts';
import { readRunMeta } from './submit.node.ts';

export interface QueueWorkerOptions {
  redis: Redis;
  processor: PhotoProcessor;
  /** Jobs each run's worker holds at once. */
  concurrency: number;
  /** Lock time of a job in hand (renewed at half of it while the job runs). */
  lockDurationMs: number;
  /** How often each worker looks for jobs whose lock expired. */
  stalledIntervalMs: number;
  /** How often the run list is read for new runs. */
  pollMs: number;
  /** Serve only this run. */
  only?: string;
  log(line: string): void;
}

export interface QueueWorker {
  /** Takes no new jobs; resolves when the jobs in hand have finished. */
  stop(): Promise<void>;
  /** Puts the jobs in hand back in their queues for other workers (their pipelines are abandoned). */
  returnJobs(): void;
}

const UNFINISHED = ['waiting', 'active', 'delayed', 'prioritized'] as const;

async function hasWork(redis: Redis, name: string): Promise<boolean> {
  const queue = new Queue(queueName(name), { connection: redis });
  try {
    const counts = await queue.getJobCounts(...UNFINISHED);
    return Object.values(counts).some((n) => n > 0);
  } finally {
    await queue.close();
  }
}

/** Resolves when `signal` aborts; never rejects. */
const aborted = (signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });

export function startQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const { redis, processor, log } = options;
  const workers = new Map<string, Worker<QueueJobData, QueueJobResult>>();
  let stopping = false;

  const serve = async (run: RunMeta): Promise<void> => {
    await processor.prepare(run).catch((err: unknown) => {
      throw new Error(`run ${run.name}: cannot load pack ${run.pack}: ${messageOf(err)}`);
    });
    if (stopping) return;
    const processJob = async (job: Job<QueueJobData, QueueJobResult>, token?: string, signal?: AbortSignal) => {
      log(`start ${run.name} ${job.data.id}`);
      await redis.hsetnx(runKey(run.name), 'started', String(Date.now()));
      const work = processor.process(run, job.data);
      const result = await Promise.race([work, aborted(signal).then(() => null)]);
      if (result === null) {
        work.catch(() => {}); // abandoned: its outcome no longer matters
        await job.moveToWait(token);
        log(`returned ${run.name} ${job.data.id}`);
        throw new WaitingError();
      }
      return result;
    };
    const worker = new Worker<QueueJobData, QueueJobResult>(queueName(run.name), processJob, {
      connection: redis,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
    });
    worker.on('completed', (job, result) => log(`done ${run.name} ${job.data.id} ${result.ms} ms`));
    worker.on('failed', (job, err) => {
      if (!job || err instanceof WaitingError) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1);
      log(`${final ? 'failed' : 'retry'} ${run.name} ${job.data.id} (attempt ${job.attemptsMade}): ${err.message}`);
    });
    worker.on('stalled', (jobId) => log(`stalled ${run.name} ${jobId}: its worker stopped; back in the queue`));
    worker.on('error', (err) => log(`error ${run.name}: ${err.message}`));
    workers.set(run.name, worker);
    log(`serving run ${run.name} (${run.total} photos, pack ${run.pack})`);
  };

  const discover = async (): Promise<void> => {
    const names = options.only ? [options.only] : await redis.smembers(RUNS_KEY);
    for (const name of names.sort()) {
      if (stopping || workers.has(name)) continue;
      const run = await readRunMeta(redis, name);
      if (!run) {
        if (options.only) log(`run ${name} not submitted yet`);
        continue;
      }
      if (await hasWork(redis, name)) await serve(run);
    }
  };
  let discovering: Promise<void> | null = null;
  const poll = (): void => {
    // Loading a pack can outlast the poll interval: one discovery at a time.
    discovering ??= discover()
      .catch((err: unknown) => log(`error: ${messageOf(err)} (trying again)`))
      .finally(() => (discovering = null));
  };
  poll();
  const timer = setInterval(poll, options.pollMs);

  return {
    async stop() {
      stopping = true;
      clearInterval(timer);
      await discovering;
      await Promise.all([...workers.values()].map((w) => w.close()));
    },
    returnJobs() {
      for (const w of workers.values()) w.cancelAllJobs('worker stopping');
    },
  };
}
