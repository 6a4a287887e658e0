// `aeslens critique <photo…> --pack <id|folder>`: runs the IASM (score + saliency heatmap) and the
// VLM critic on each photo in Node, with the same models/ code the workers use, writes a heatmap PNG
// per photo and prints {file, score, critique, prompt, attributes, pack, backend, timings}.
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as transformers from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { readRgba } from '../common/readRgba.node.ts';
import { loadCritic, type Critic, type CritiqueResult, type FileSource } from '../critic/index.ts';
import { criticFileSource, directorySource, iasmFileReader, PackSourceError } from '../critic/packSource.node.ts';
import { writeHeatmap } from '../iasm/heatmap.node.ts';
import { buildIasmModelForPack, createIasmRunner, type IasmResult, type IasmRunner } from '../iasm/runner.ts';
import {
  CRITIC_PACKS,
  CRITIC_SESSIONS,
  DTYPE_SUFFIX,
  IASVIT_FUSION_PATH,
  folderIasvit,
  iasvitStatus,
  type CriticDtype,
  type CriticPack,
  type SessionDtypes,
} from '../packs/critic.ts';
import type { IasmPack } from '../packs/iasm.ts';
import { findCriticPack, findIasmPack, PACK_GROUPS, resolvePackSelection } from '../packs/registry.ts';
import { UntrainedFusionError } from '../vit/pack.ts';
import { weightsFromSafetensors } from '../vit/weights.ts';
import { groundingFacts, measureAttributes } from '../attributes/index.ts';
import { messageOf } from '../common/errors.ts';
import { openPhoto, PhotoReadError, rgbaPixels } from './photo.ts';

export const USAGE = `Usage: aeslens critique <photo…> [--pack <id|folder>] [--iasm <id|none>] [--json] [--out <dir>]
                        [--max-new-tokens N] [--sample] [--no-guidance] [--no-grounding] [--iasvit]
  --pack   a group (${Object.keys(PACK_GROUPS).join(', ')}), "<iasm id>,<critic id>", a critic pack id
           (${CRITIC_PACKS.map((p) => p.id).join(', ')}) or a folder holding a SmolVLM ONNX export. Default: default.
  --iasm   the IASM pack for the heatmap when --pack names only a critic (default: the group's), or none.
  --no-grounding  do not tell the critic the measured attributes (by default they follow the instruction).
  --out    directory for <photo>.heatmap.png (default: the current directory).
  --iasvit the IAS-ViT vision encoder (saliency cross-attention), for packs with fusion weights
           (a model folder may bring trained ones as iasvit/fusion.safetensors); needs the IASM heatmap.
`;

class UsageError extends Error {}

export async function run(args: string[]): Promise<number> {
  try {
    return await critique(args);
  } catch (err) {
    if (!(err instanceof UsageError || err instanceof PackSourceError || err instanceof UntrainedFusionError))
      throw err;
    process.stderr.write(`aeslens critique: ${err.message}\n\n${USAGE}`);
    return 2;
  }
}

interface Selection {
  iasm: IasmPack | null;
  critic: CriticPack;
  criticSource?: FileSource;
}

async function critique(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      pack: { type: 'string', default: 'default' },
      iasm: { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string', default: '.' },
      'max-new-tokens': { type: 'string' },
      sample: { type: 'boolean', default: false },
      'no-guidance': { type: 'boolean', default: false },
      'no-grounding': { type: 'boolean', default: false },
      iasvit: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new UsageError('give at least one photo');
  const maxNewTokens = values['max-new-tokens'] === undefined ? undefined : Number(values['max-new-tokens']);
  if (maxNewTokens !== undefined && !(Number.isInteger(maxNewTokens) && maxNewTokens > 0))
    throw new UsageError('--max-new-tokens takes a positive integer');
  const selection = await select(values.pack, values.iasm);
  if (values.iasvit) {
    const status = iasvitStatus(selection.critic);
    if (!status.usable) throw new UsageError(`--iasvit: ${selection.critic.name}: ${status.label}`);
    if (!selection.iasm) throw new UsageError('--iasvit needs the IASM heatmap: drop --iasm none');
  }
  await mkdir(values.out, { recursive: true });

  const iasm = selection.iasm ? await loadIasm(selection.iasm) : null;
  const critic = await loadCritic(transformers, selection.critic, {
    device: 'cpu',
    iasvit: values.iasvit,
    ...(selection.criticSource ? { fileSource: selection.criticSource } : {}),
  }).catch(async (err: unknown) => {
    await iasm?.dispose();
    throw err;
  });
  try {
    for (const file of positionals) {
      const report = await critiqueOne(file, iasm, critic, {
        outDir: values.out,
        json: values.json,
        guidance: !values['no-guidance'],
        grounding: !values['no-grounding'],
        doSample: values.sample,
        ...(maxNewTokens ? { maxNewTokens } : {}),
        packs: { iasm: selection.iasm?.id ?? null, critic: selection.critic.id },
        iasvit: !critic.iasvit ? 'off' : selection.critic.iasvit?.trained ? 'trained' : 'untrained',
      });
      if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    }
  } finally {
    await critic.dispose();
    await iasm?.dispose();
  }
  return 0;
}

/** Resolves --pack / --iasm to packs, and where the critic's files come from. */
async function select(spec: string, iasmSpec: string | undefined): Promise<Selection> {
  const iasmFor = (fallback: string): IasmPack | null => {
    const id = iasmSpec ?? fallback;
    if (id === 'none') return null;
    const pack = findIasmPack(PACK_GROUPS[id]?.iasm ?? id);
    if (!pack) throw new UsageError(`unknown IASM pack "${id}"`);
    return pack;
  };
  if (existsSync(spec) && statSync(spec).isDirectory()) {
    const critic = await folderPack(spec);
    return { iasm: iasmFor('default'), critic, criticSource: directorySource(spec) };
  }
  let packs: { iasm: IasmPack | null; critic: CriticPack };
  const single = findCriticPack(spec);
  if (single) packs = { critic: single, iasm: iasmFor(single.fixture ? 'fixture' : 'default') };
  else {
    let resolved;
    try {
      resolved = resolvePackSelection(spec);
    } catch (err) {
      throw new UsageError(messageOf(err));
    }
    packs = { critic: resolved.critic, iasm: iasmSpec ? iasmFor(iasmSpec) : resolved.iasm };
  }
  const criticSource = await criticFileSource(packs.critic);
  return { ...packs, ...(criticSource ? { criticSource } : {}) };
}

/** A critic pack for a folder holding a SmolVLM export: per session, the Node dtype if present, else any. */
async function folderPack(dir: string): Promise<CriticPack> {
  const base = CRITIC_PACKS.find((p) => p.id === 'smolvlm-256m')!;
  if (!existsSync(join(dir, 'config.json'))) throw new UsageError(`"${dir}" holds no config.json: not a model folder`);
  const preferred: CriticDtype[] = [base.dtypes.cpu.decoder_model_merged, 'q8', 'q4', 'fp32', 'fp16', 'q4f16'];
  const dtypes = {} as SessionDtypes;
  for (const session of CRITIC_SESSIONS) {
    const found = preferred.find((d) => existsSync(join(dir, 'onnx', `${session}${DTYPE_SUFFIX[d]}.onnx`)));
    if (!found) throw new UsageError(`"${dir}" has no onnx/${session}*.onnx`);
    dtypes[session] = found;
  }
  const name = basename(resolve(dir));
  return {
    ...base,
    id: `folder:${name}`,
    name: `Model folder ${name}`,
    fixture: false,
    modelId: name,
    dtypes: { ...base.dtypes, cpu: dtypes, wasm: dtypes },
    ...(await folderFusion(dir)),
  };
}

/**
 * IAS-ViT fusion weights a model folder brings (iasvit/fusion.safetensors, models/vit/README.md
 * names), taken as trained: all-zero ones are refused when the encoder is built.
 */
async function folderFusion(dir: string): Promise<Pick<CriticPack, 'iasvit'>> {
  const path = join(dir, IASVIT_FUSION_PATH);
  if (!existsSync(path)) return {};
  return { iasvit: folderIasvit(weightsFromSafetensors(new Uint8Array(await readFile(path))).names()) };
}

interface LoadedIasm {
  pack: IasmPack;
  runner: IasmRunner;
  dispose(): Promise<void>;
}

async function loadIasm(pack: IasmPack): Promise<LoadedIasm> {
  const bytes = await buildIasmModelForPack(pack, await iasmFileReader(pack));
  const runner = await createIasmRunner(ort, bytes, { input: pack.input });
  return { pack, runner, dispose: () => runner.dispose() };
}

interface PhotoOptions {
  outDir: string;
  json: boolean;
  guidance: boolean;
  grounding: boolean;
  doSample: boolean;
  maxNewTokens?: number;
  packs: { iasm: string | null; critic: string };
  /** The vision encoder: IAS-ViT with trained or (fixture) untrained fusion weights, or the pack's own. */
  iasvit: 'trained' | 'untrained' | 'off';
}

/** Longest edge the critic sees: its processor works on ≤ 2048 px, crops are cut from this. */
const CRITIC_MAX_EDGE = 2048;

async function critiqueOne(file: string, iasm: LoadedIasm | null, critic: Critic, opts: PhotoOptions) {
  const open = await openPhoto(file).catch((err: unknown) => {
    throw err instanceof PhotoReadError ? new UsageError(err.message) : err;
  });
  const { photo, width, height } = open;

  const start = performance.now();
  const pixels = await rgbaPixels(photo);
  const scored: IasmResult | null = iasm ? await iasm.runner.analyse(pixels) : null;
  const iasmMs = performance.now() - start;

  const view = await readRgba(photo, { width: CRITIC_MAX_EDGE, height: CRITIC_MAX_EDGE }, 'inside');
  const saliency = scored ? { data: scored.saliency, width: scored.width, height: scored.height } : null;
  const attributes = measureAttributes(pixels, saliency);
  if (!opts.json) process.stdout.write(`\n${file}${scored ? `  score ${scored.score.toFixed(3)}` : ''}\n`);
  const result: CritiqueResult = await critic.critique(
    view,
    scored ? { data: scored.saliency, width: scored.width, height: scored.height } : null,
    {
      guidance: opts.guidance,
      doSample: opts.doSample,
      ...(opts.grounding ? { facts: groundingFacts(attributes) } : {}),
      ...(opts.maxNewTokens ? { maxNewTokens: opts.maxNewTokens } : {}),
      onToken: opts.json ? undefined : (t) => process.stdout.write(t),
    },
  );
  const heatmap = scored ? join(opts.outDir, `${basename(file, extname(file))}.heatmap.png`) : null;
  if (scored && heatmap)
    await writeHeatmap(
      heatmap,
      photo,
      { data: scored.saliency, width: scored.width, height: scored.height },
      width,
      height,
    );
  if (!opts.json) process.stdout.write(`\n${heatmap ? `heatmap -> ${heatmap}\n` : ''}`);
  return {
    file,
    score: scored?.score ?? null,
    critique: result.text,
    prompt: result.prompt,
    attributes,
    pack: opts.packs,
    iasvit: opts.iasvit,
    backend: { device: critic.backend, dtypes: critic.dtypes, iasvit: critic.iasvit },
    guidance: result.crops.map((c) => c.region),
    heatmap,
    /** Standard deviation of the saliency map (0 for a constant map). */
    saliencyStd: scored ? standardDeviation(scored.saliency) : null,
    timings: { iasmMs, ...result.timings, tokens: result.tokens },
  };
}

/** Population standard deviation. */
function standardDeviation(values: ArrayLike<number>): number {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    squares += values[i]! * values[i]!;
  }
  const mean = sum / values.length;
  return Math.sqrt(Math.max(0, squares / values.length - mean * mean));
}
