// What a queued run is in Redis: one BullMQ queue per run (so its counts, failures and results are
// BullMQ's own per-queue views), a set naming every run, and a hash holding the run's settings.
// Job ids are a hash of the image id, so submitting the same image twice is one job.
import { createHash } from 'node:crypto';
import type { AttributeFacts } from '../attributes/index.ts';
import type { DatasetFormat } from '../eval/datasets.ts';
import type { PipelineOptions } from '../eval/pipeline.node.ts';

/** Redis set of every submitted run name. */
export const RUNS_KEY = 'aeslens:runs';

/** Redis hash of one run's settings ({@link RunMeta} as JSON under `meta`, first job start under `started`). */
export const runKey = (name: string): string => `aeslens:run:${name}`;

/** The BullMQ queue holding one run's jobs. */
export const queueName = (name: string): string => `aeslens.${name}`;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function checkRunName(name: string): string {
  if (!NAME.test(name)) {
    throw new Error(
      `run name "${name}": use letters, digits, ".", "_" and "-" (at most 100, starting with a letter or digit)`,
    );
  }
  return name;
}

/** A run name from the data's path: its last component, with other characters turned into "-". */
export function defaultRunName(dataPath: string): string {
  const last =
    dataPath
      .replace(/[/\\]+$/, '')
      .split(/[/\\]/)
      .pop() ?? '';
  const cleaned = last.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return checkRunName(cleaned.slice(0, 100) || 'run');
}

/** What `queue submit` recorded about a run; every worker processes its jobs with these settings. */
export interface RunMeta extends PipelineOptions {
  name: string;
  /** Dataset format, or "photos" for a folder of photos without references. */
  format: DatasetFormat | 'photos';
  source: string;
  total: number;
  attempts: number;
  backoffMs: number;
  submittedAt: number;
}

/** One job: one photo of the run. */
export interface QueueJobData {
  id: string;
  image: string;
  /** Position in the dataset: results come back in dataset order. */
  index: number;
  references: string[];
}

/** What a worker returns for a job (kept by BullMQ as the completed job's return value). */
export interface QueueJobResult {
  id: string;
  image: string;
  critique: string;
  score: number;
  /** The heatmap PNG the worker wrote (worker --maps), else null. */
  map: string | null;
  /** The photo's measured attributes (models/attributes), without the 4 × 256-bin histograms and the sharpness grid. */
  measurements: AttributeFacts;
  /** `<host>/<pid>` of the worker that processed the job. */
  worker: string;
  ms: number;
}

/** BullMQ job id of an image id (BullMQ ids may not hold ":" and must not look like integers). */
export function jobIdFor(imageId: string): string {
  return `img-${createHash('sha256').update(imageId).digest('hex').slice(0, 40)}`;
}
