// One queued photo through the eval pipeline: score, saliency, critique (the same pipeline
// `aeslens eval` runs), the measured attributes (as `aeslens analyse` measures them) and the
// heatmap PNG when the worker keeps maps. Pipelines are loaded once per
// distinct setting (pack, guidance, IAS-ViT) and shared by every job and run that uses it.
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, extname, join } from 'node:path';
import { openPhoto, photoAttributes } from '../cli/photo.ts';
import { splitDetails } from '../attributes/index.ts';
import type { PipelineFactory, PipelineOptions } from '../eval/pipeline.node.ts';
import { writeHeatmap } from '../iasm/heatmap.node.ts';
import { jobIdFor, type QueueJobData, type QueueJobResult, type RunMeta } from './runs.node.ts';

export interface PhotoProcessor {
  /** Loads the run's pipeline (once per setting), so no job is held while models load. */
  prepare(run: RunMeta): Promise<void>;
  process(run: RunMeta, job: QueueJobData): Promise<QueueJobResult>;
  dispose(): Promise<void>;
}

export interface ProcessorOptions {
  factory: PipelineFactory;
  /** Folder for `<run>/<photo>-<hash>.heatmap.png`; no maps are written without it. */
  maps?: string;
}

export const WORKER_ID = `${hostname()}/${process.pid}`;

/** A file name per image id: readable, and unique although ids in different folders share names. */
const mapName = (id: string): string =>
  `${basename(id, extname(id)).replace(/[^A-Za-z0-9._-]+/g, '-')}-${jobIdFor(id).slice(4, 14)}.heatmap.png`;

type LoadedPipeline = Awaited<ReturnType<PipelineFactory>>;

/**
 * The pipeline taking one photo at a time: its models are single-flight (the critic refuses a second
 * critique while one runs), so jobs held together overlap only their other steps.
 */
function oneAtATime(pipeline: LoadedPipeline): LoadedPipeline {
  let tail: Promise<unknown> = Promise.resolve();
  const serial = (imagePath: string) => {
    const next = tail.then(() => pipeline(imagePath));
    tail = next.catch(() => {});
    return next;
  };
  return Object.assign(serial, pipeline.dispose ? { dispose: () => pipeline.dispose!() } : {});
}

export function createPhotoProcessor(options: ProcessorOptions): PhotoProcessor {
  const pipelines = new Map<string, ReturnType<PipelineFactory>>();
  const pipelineFor = (run: RunMeta): ReturnType<PipelineFactory> => {
    const settings: PipelineOptions = { pack: run.pack, guidance: run.guidance, iasvit: run.iasvit };
    const key = JSON.stringify(settings);
    let pipeline = pipelines.get(key);
    if (!pipeline) {
      pipeline = options.factory(settings).then(oneAtATime);
      pipelines.set(key, pipeline);
      // A pack that fails to load fails this job (and is retried) rather than every later job.
      pipeline.catch(() => pipelines.delete(key));
    }
    return pipeline;
  };

  return {
    async prepare(run) {
      await pipelineFor(run);
    },
    async process(run, job) {
      const started = performance.now();
      const pipeline = await pipelineFor(run);
      const out = await pipeline(job.image);
      if (typeof out.critique !== 'string' || !Number.isFinite(out.score)) {
        throw new Error(`pipeline returned an invalid result for ${job.id}`);
      }
      const saliency = out.saliency ?? null;
      const photo = await openPhoto(job.image);
      // A job keeps the facts alone: the histograms and the sharpness grid would make a result ten times larger.
      const { facts } = splitDetails(await photoAttributes(photo, saliency));
      let map: string | null = null;
      if (options.maps && saliency) {
        const dir = join(options.maps, run.name);
        await mkdir(dir, { recursive: true });
        map = join(dir, mapName(job.id));
        await writeHeatmap(map, photo.photo, saliency, photo.width, photo.height);
      }
      return {
        id: job.id,
        image: job.image,
        critique: out.critique,
        score: out.score,
        map,
        measurements: facts,
        worker: WORKER_ID,
        ms: Math.round(performance.now() - started),
      };
    },
    async dispose() {
      const loaded = await Promise.allSettled(pipelines.values());
      pipelines.clear();
      for (const p of loaded) if (p.status === 'fulfilled') await p.value.dispose?.();
    },
  };
}
