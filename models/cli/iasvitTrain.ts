// `aeslens iasvit train`: trains a critic pack's IAS-ViT fusion weights on a critique dataset and
// writes a model folder (the base pack's files + iasvit/fusion.safetensors) that loads as trained.
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { FIXTURE_DIR } from '../critic/packSource.node.ts';
import { loadDataset } from '../eval/datasets.node.ts';
import { FIXTURES } from '../fixtures/index.ts';
import { buildIasmModelForPack, createIasmRunner } from '../iasm/runner.ts';
import { iasmFileReader } from '../critic/packSource.node.ts';
import { CRITIC_PACKS, IASVIT_FUSION_PATH, type CriticPack } from '../packs/critic.ts';
import { findCriticPack, findIasmPack, PACK_GROUPS } from '../packs/registry.ts';
import { cachedSaliency, datasetSource, splitByPhoto } from '../training/datasetExamples.node.ts';
import { ExampleMaker } from '../training/examples.node.ts';
import { exampleFeeds } from '../training/feeds.ts';
import { checkpointBytes, fusionSafetensors, readCheckpoint } from '../training/fusionFile.ts';
import { PAPER_OPTIMIZER } from '../training/optimizer.ts';
import { copyModelFolder, trainingSessionFile, writeModelFolder } from '../training/packFolder.node.ts';
import { TrainingSession } from '../training/runner.node.ts';
import { startState, train, type Progress, type TrainConfig } from '../training/trainer.ts';
import { buildTrainingGraph } from '../training/trainingGraph.ts';
import { TRAIN_USAGE as USAGE } from './iasvitTrainUsage.ts';
import { openPhoto, rgbaPixels } from './photo.ts';

class UsageError extends Error {}

const CHECKPOINT = 'iasvit/checkpoint.safetensors';

export async function run(args: string[]): Promise<number> {
  try {
    return await trainCommand(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`aeslens iasvit train: ${err.message}\n\n${USAGE}`);
    return 2;
  }
}

function number(name: string, v: string | undefined, fallback: number, integer = false): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n)))
    throw new UsageError(`--${name} "${v}": expected a ${integer ? 'non-negative integer' : 'non-negative number'}`);
  return n;
}

/** The base pack as a model folder inside `out`, and what it is. */
async function materialisePack(
  spec: string,
  out: string,
): Promise<{ pack: CriticPack | null; label: string; revision: string }> {
  if (existsSync(spec) && statSync(spec).isDirectory()) {
    if (!existsSync(join(spec, 'config.json')))
      throw new UsageError(`"${spec}" holds no config.json: not a model folder`);
    await copyModelFolder(spec, out);
    return { pack: null, label: `folder:${basename(resolve(spec))}`, revision: 'local' };
  }
  const pack = findCriticPack(spec);
  if (!pack) throw new UsageError(`unknown critic pack "${spec}" (and no such folder)`);
  const revision = pack.source.type === 'hub' ? pack.source.revision : 'generated';
  if (!pack.fixture)
    throw new UsageError(
      `${pack.name} comes from the Hub (${pack.source.type === 'hub' ? pack.source.repo : pack.modelId}): download its files into a folder and pass --pack <folder>`,
    );
  const dir = join(FIXTURE_DIR, pack.modelId);
  if (existsSync(join(dir, 'config.json'))) await copyModelFolder(dir, out);
  else await writeModelFolder(await FIXTURES[pack.id]!(), out);
  return { pack, label: pack.id, revision };
}

function formatMs(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${s}s`;
}

function progressLine(p: Progress): string {
  const val = p.valLoss === undefined ? '' : `  val ${p.valLoss.toFixed(4)}`;
  return `step ${p.step}/${p.steps}  loss ${p.trainLoss.toFixed(4)}${val}  lr ${p.lr.toExponential(2)}  ${formatMs(p.elapsedMs)} elapsed, ETA ${formatMs(p.etaMs)}\n`;
}

async function trainCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      pack: { type: 'string' },
      data: { type: 'string' },
      out: { type: 'string' },
      iasm: { type: 'string' },
      images: { type: 'string' },
      steps: { type: 'string' },
      accumulate: { type: 'string' },
      lr: { type: 'string' },
      'weight-decay': { type: 'string' },
      'warmup-ratio': { type: 'string' },
      seed: { type: 'string' },
      'val-fraction': { type: 'string' },
      'validate-every': { type: 'string' },
      'checkpoint-every': { type: 'string' },
      resume: { type: 'boolean', default: false },
      device: { type: 'string', default: 'cpu' },
    },
  });
  if (!values.pack || !values.data || !values.out) throw new UsageError('--pack, --data and --out are required');
  if (values.device !== 'cpu' && values.device !== 'cuda')
    throw new UsageError(`--device "${values.device}": cpu or cuda`);
  const out = resolve(values.out);
  let dataset;
  try {
    dataset = loadDataset(values.data, values.images);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const base = await materialisePack(values.pack, out);
  const iasmId = values.iasm ?? PACK_GROUPS[base.pack?.fixture ? 'fixture' : 'default']!.iasm;
  const iasmPack = findIasmPack(iasmId);
  if (!iasmPack) throw new UsageError(`unknown IASM pack "${iasmId}"`);

  const config = JSON.parse(await readFile(join(out, 'config.json'), 'utf8')) as {
    vision_config?: { num_attention_heads?: number };
  };
  const graph = buildTrainingGraph(
    {
      visionEncoder: await readFile(join(out, 'onnx', 'vision_encoder.onnx')).catch(() => {
        throw new UsageError(`${values.pack} has no float32 onnx/vision_encoder.onnx (IAS-ViT extends it)`);
      }),
      embedTokens: await readFile(trainingSessionFile(out, 'embed_tokens')),
      decoder: await readFile(trainingSessionFile(out, 'decoder_model_merged')),
    },
    config.vision_config?.num_attention_heads ? { heads: config.vision_config.num_attention_heads } : {},
  );
  const session = await TrainingSession.create(graph, { provider: values.device });
  const prompt = base.pack?.prompt ?? CRITIC_PACKS.find((p) => p.id === 'smolvlm-256m')!.prompt;
  const maker = await ExampleMaker.load(out, prompt);

  const iasm = await createIasmRunner(ort, await buildIasmModelForPack(iasmPack, await iasmFileReader(iasmPack)), {
    input: iasmPack.input,
  });
  const saliency = cachedSaliency(join(out, 'iasvit', 'saliency'), graph.fusion.grid, async (file) => {
    const scored = await iasm.run(await rgbaPixels((await openPhoto(file)).photo, iasm.input));
    return { data: scored.saliency, width: scored.width, height: scored.height };
  });

  const seed = number('seed', values.seed, 0, true);
  const split = splitByPhoto(dataset.items, number('val-fraction', values['val-fraction'], 0.1), seed);
  const data = { train: datasetSource(split.train, maker, saliency), val: datasetSource(split.val, maker, saliency) };
  const accumulate = Math.max(1, number('accumulate', values.accumulate, 8, true));
  const cfg: TrainConfig = {
    ...PAPER_OPTIMIZER,
    lr: number('lr', values.lr, PAPER_OPTIMIZER.lr),
    weightDecay: number('weight-decay', values['weight-decay'], PAPER_OPTIMIZER.weightDecay),
    warmupRatio: number('warmup-ratio', values['warmup-ratio'], PAPER_OPTIMIZER.warmupRatio),
    steps: number('steps', values.steps, Math.max(1, Math.ceil(data.train.size / accumulate)), true),
    accumulate,
    seed,
    validateEvery: number('validate-every', values['validate-every'], 50, true),
    checkpointEvery: number('checkpoint-every', values['checkpoint-every'], 50, true),
  };
  const checkpointPath = join(out, CHECKPOINT);
  let state = startState(graph.fusion.params, seed);
  if (values.resume && existsSync(checkpointPath)) {
    const saved = readCheckpoint(graph.fusion, new Uint8Array(await readFile(checkpointPath)));
    if (JSON.stringify(saved.config) !== JSON.stringify(cfg))
      throw new UsageError('--resume: the checkpoint was written with other settings; pass the same options');
    state = saved.state;
    process.stderr.write(`resuming at step ${state.adam.step}/${cfg.steps}\n`);
  }
  const lossOf = (ex: Parameters<typeof exampleFeeds>[1], params: ReadonlyMap<string, Float32Array>) =>
    session.run(exampleFeeds(graph, ex), params);
  const atomic = async (path: string, bytes: Uint8Array) => {
    await mkdir(join(out, 'iasvit'), { recursive: true });
    await writeFile(`${path}.tmp`, bytes);
    await rename(`${path}.tmp`, path);
  };
  process.stderr.write(
    `training ${graph.fusion.params.length} fusion tensors (blocks ${graph.fusion.blocks.join(',')}) on ${data.train.size} examples, ${data.val.size} for validation, ${session.provider}\n`,
  );
  state = await train(data, lossOf, cfg, state, {
    onProgress: (p) => process.stderr.write(progressLine(p)),
    saveCheckpoint: (s) => atomic(checkpointPath, checkpointBytes(graph.fusion, s, cfg)),
  });
  const record = {
    basePack: base.label,
    baseRevision: base.revision,
    dataset: `${dataset.format}:${basename(dataset.source)}`,
    steps: cfg.steps,
    trainLoss: state.trainLoss,
    valLoss: state.valLoss,
  };
  await atomic(join(out, IASVIT_FUSION_PATH), fusionSafetensors(graph.fusion, state, record));
  await Promise.all([session.release(), iasm.dispose()]);
  process.stdout.write(
    `${JSON.stringify({ out, fusion: join(out, IASVIT_FUSION_PATH), ...record, provider: session.provider })}\n`,
  );
  return 0;
}
