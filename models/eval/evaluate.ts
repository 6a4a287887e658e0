// The batch loop: run the injected per-image pipeline over a dataset shard, hand every result to
// the caller as soon as it exists (so it can be persisted before the next image starts), report
// progress, and score everything with the AIC metrics at the end. Isomorphic.
import { evaluateCaptions, type CaptionEvaluation } from '../metrics/index.ts';
import type { DatasetItem } from './datasets.ts';
import { inShard, type Shard } from './shard.ts';

/** What the per-image pipeline (IASM + critic, or a test double) returns. */
export interface PipelineOutput {
  critique: string;
  score: number;
  /** The IASM saliency map the critique was guided by, for callers that keep it (queue workers). */
  saliency?: { data: Float32Array; width: number; height: number };
}

export type Pipeline = (imagePath: string) => Promise<PipelineOutput>;

/** One line of the results log. */
export interface EvalResult {
  id: string;
  image: string;
  critique: string;
  score: number;
}

export interface EvaluateOptions {
  shard?: Shard;
  /** Ids already done (resume): skipped, never re-run. */
  skip?: ReadonlySet<string>;
  /** Called once per finished image, awaited before the next image starts. */
  onResult?: (result: EvalResult) => Promise<void> | void;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** The dataset items of one shard (all items without a shard), in dataset order. */
export function selectShard(dataset: readonly DatasetItem[], shard?: Shard): DatasetItem[] {
  return shard ? dataset.filter((item) => inShard(item.id, shard)) : [...dataset];
}

/** Runs the pipeline over the shard's items not in `skip`; returns the new results. */
export async function evaluate(
  dataset: readonly DatasetItem[],
  pipeline: Pipeline,
  options: EvaluateOptions = {},
): Promise<EvalResult[]> {
  const todo = selectShard(dataset, options.shard).filter((item) => !options.skip?.has(item.id));
  const results: EvalResult[] = [];
  options.onProgress?.(0, todo.length);
  for (const item of todo) {
    options.signal?.throwIfAborted();
    const out = await pipeline(item.image);
    if (typeof out.critique !== 'string' || !Number.isFinite(out.score)) {
      throw new Error(`pipeline returned an invalid result for ${item.id}`);
    }
    const result: EvalResult = { id: item.id, image: item.image, critique: out.critique, score: out.score };
    await options.onResult?.(result);
    results.push(result);
    options.onProgress?.(results.length, todo.length);
  }
  return results;
}

/** Scores results against the dataset's references (only images that have a result). */
export function scoreResults(dataset: readonly DatasetItem[], results: readonly EvalResult[]): CaptionEvaluation {
  const byId = new Map(dataset.map((item) => [item.id, item]));
  const refs: Record<string, string[]> = {};
  const cands: Record<string, string> = {};
  for (const r of results) {
    const item = byId.get(r.id);
    if (!item) throw new Error(`result for unknown image id "${r.id}" (results file from another dataset?)`);
    refs[r.id] = item.references;
    cands[r.id] = r.critique;
  }
  return evaluateCaptions(refs, cands);
}
