// `queue submit`: records the run's settings and enqueues one job per photo. Job ids come from the
// image ids, and BullMQ ignores an add whose id exists, so submitting a run again adds only photos
// it did not have (none, for the same data).
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueData } from './data.node.ts';
import { jobIdFor, queueName, runKey, RUNS_KEY, type QueueJobData, type RunMeta } from './runs.node.ts';

export type RunSettings = Omit<RunMeta, 'name' | 'format' | 'source' | 'total' | 'submittedAt'>;

export interface SubmitResult {
  added: number;
  total: number;
}

/** Bulk adds per round trip. */
const BATCH = 500;

const SETTINGS: readonly (keyof RunSettings)[] = ['pack', 'guidance', 'iasvit', 'attempts', 'backoffMs'];

export async function readRunMeta(redis: Redis, name: string): Promise<RunMeta | null> {
  const json = await redis.hget(runKey(name), 'meta');
  return json ? (JSON.parse(json) as RunMeta) : null;
}

export async function submitRun(
  redis: Redis,
  name: string,
  data: QueueData,
  settings: RunSettings,
): Promise<SubmitResult> {
  const existing = await readRunMeta(redis, name);
  if (existing) {
    const changed = SETTINGS.filter((k) => existing[k] !== settings[k]);
    if (changed.length > 0) {
      throw new Error(
        `run "${name}" exists with other settings (${changed.map((k) => `${k}: ${String(existing[k])}`).join(', ')}); ` +
          'choose another --name',
      );
    }
  }
  const queue = new Queue<QueueJobData, unknown, string>(queueName(name), { connection: redis });
  try {
    const before = await jobCount(queue);
    for (let start = 0; start < data.items.length; start += BATCH) {
      const jobs = data.items.slice(start, start + BATCH).map((item, i) => ({
        name: item.id,
        data: { id: item.id, image: item.image, index: start + i, references: item.references },
        opts: {
          jobId: jobIdFor(item.id),
          attempts: settings.attempts,
          backoff: { type: 'exponential', delay: settings.backoffMs },
        },
      }));
      await queue.addBulk(jobs);
    }
    const total = await jobCount(queue);
    const meta: RunMeta = {
      ...settings,
      name,
      format: data.format,
      source: data.source,
      total,
      submittedAt: existing?.submittedAt ?? Date.now(),
    };
    await redis.multi().hset(runKey(name), 'meta', JSON.stringify(meta)).sadd(RUNS_KEY, name).exec();
    return { added: total - before, total };
  } finally {
    await queue.close();
  }
}

async function jobCount(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts();
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
