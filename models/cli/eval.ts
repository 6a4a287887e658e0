// `aeslens eval --dataset <file|folder> --pack <pack> [--shard k/n] [--resume] --out results.jsonl`
// Runs the per-image pipeline over a dataset shard in Node, appends each result to a resumable
// JSONL log, shows progress with an ETA on stderr, and ends with the metrics as a Markdown table.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadDataset } from '../eval/datasets.node.ts';
import { evaluate, scoreResults, selectShard, type EvalResult } from '../eval/evaluate.ts';
import type { PipelineFactory, PipelineOptions } from '../eval/pipeline.node.ts';
import { formatProgress } from '../eval/progress.ts';
import { openResultsLog } from '../eval/results.node.ts';
import { parseShard } from '../eval/shard.ts';
import { formatTableI } from '../eval/table.ts';
import { messageOf } from '../common/errors.ts';

export const USAGE = `Usage: aeslens eval --dataset <file|folder> --pack <pack> --out results.jsonl [options]
  --dataset <path>    annotation file (.jsonl / .json: generic, PCCD, RPCD, DPC-Captions) or folder
                      (with dataset.jsonl / dataset.json / references.json, or DPC2022 <ID>.json files)
  --images <dir>      folder the image paths are relative to (default: the annotation's folder)
  --pack <pack>       IASM + critic packs: a group (fixture, default) or "<iasm id>,<critic id>"
  --out <file>        results log, one JSON line per image
  --shard k/n         run only shard k of n (1-based, by image id hash)
  --resume            continue an existing --out: skip images already in it
  --no-guidance       ablation: critic without saliency guidance
  --iasvit            ablation: critic with the IAS-ViT vision encoder
  --pipeline <module> instead of the built-in IASM + critic pipeline: a module whose default export is
                      (options: PipelineOptions) => Promise<(imagePath) => Promise<{critique, score}>>
  --method <name>     row label in the final table (default: derived from the options)
`;

export type { PipelineFactory, PipelineOptions };

/** The built-in IASM + critic pipeline, or the factory a `--pipeline` module exports. */
export async function loadPipelineFactory(module: string | undefined): Promise<PipelineFactory> {
  if (!module) return (await import('../eval/pipeline.node.ts')).createIasmCriticPipeline;
  const url = pathToFileURL(isAbsolute(module) ? module : resolve(module)).href;
  const mod = (await import(url)) as { default?: unknown };
  if (typeof mod.default !== 'function') throw new Error(`${module}: default export must be a pipeline factory`);
  return mod.default as PipelineFactory;
}

/** The row label of a run in the final table. */
export function methodName(pack: string, guidance: boolean, iasvit: boolean): string {
  return `${pack}${guidance ? '' : ' (no guidance)'}${iasvit ? ' + IAS-ViT' : ''}`;
}

export async function run(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        dataset: { type: 'string' },
        images: { type: 'string' },
        pack: { type: 'string' },
        out: { type: 'string' },
        shard: { type: 'string' },
        resume: { type: 'boolean' },
        'no-guidance': { type: 'boolean' },
        iasvit: { type: 'boolean' },
        pipeline: { type: 'string' },
        method: { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`aeslens eval: ${messageOf(err)}\n\n${USAGE}`);
    return 2;
  }
  const dataset = values.dataset as string | undefined;
  const pack = values.pack as string | undefined;
  const out = values.out as string | undefined;
  if (!dataset || !pack || !out) {
    process.stderr.write(`aeslens eval: --dataset, --pack and --out are required\n\n${USAGE}`);
    return 2;
  }
  const shard = typeof values.shard === 'string' ? parseShard(values.shard) : undefined;
  const guidance = !values['no-guidance'];
  const iasvit = values.iasvit === true;

  const loaded = loadDataset(dataset, values.images as string | undefined);
  const shardItems = selectShard(loaded.items, shard);
  const log = openResultsLog(out, values.resume === true);
  const previous = new Map<string, EvalResult>();
  for (const r of log.previous) if (!previous.has(r.id)) previous.set(r.id, r);
  const skip = new Set(previous.keys());
  const pending = shardItems.filter((item) => !skip.has(item.id)).length;

  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  const onProgress = (done: number, total: number): void => {
    const line = formatProgress(done, total, Date.now() - started);
    process.stderr.write(tty ? `\r${line}` : `${line}\n`);
  };
  process.stderr.write(
    `${loaded.source}: ${loaded.format}, ${loaded.items.length} images` +
      `${shard ? `, shard ${shard.index}/${shard.count}: ${shardItems.length}` : ''}` +
      `${previous.size ? `, ${previous.size} already in ${out}` : ''}\n`,
  );
  let fresh: EvalResult[] = [];
  try {
    // Nothing pending (e.g. merged shard logs with --resume): score without loading any model.
    if (pending > 0) {
      const factory = await loadPipelineFactory(values.pipeline as string | undefined);
      const pipeline = await factory({ pack, guidance, iasvit });
      try {
        fresh = await evaluate(shardItems, pipeline, { skip, onResult: (r) => log.append(r), onProgress });
      } finally {
        await pipeline.dispose?.();
        if (tty) process.stderr.write('\n');
      }
    }
  } finally {
    log.close();
  }
  const inShard = new Set(shardItems.map((i) => i.id));
  const all = [...previous.values(), ...fresh].filter((r) => inShard.has(r.id));
  if (all.length === 0) {
    process.stdout.write('No images evaluated.\n');
    return 0;
  }
  const { metrics } = scoreResults(loaded.items, all);
  const method = (values.method as string | undefined) ?? methodName(pack, guidance, iasvit);
  process.stdout.write(formatTableI(`${loaded.format} — ${loaded.source}`, [{ method, metrics }], all.length));
  return 0;
}
