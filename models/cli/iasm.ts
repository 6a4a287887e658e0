// `aeslens iasm build|run|layers`: build an IASM graph from any aesthetic ONNX model, run one on a
// photo (score, class, saliency map PNG), or list the tensors that can serve as LayerCAM targets.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { readRgba } from '../common/readRgba.node.ts';
import { FIXTURES } from '../fixtures/index.ts';
import { buildIasmGraph, readIasmMetadata, type IasmGraphOptions } from '../iasm/build.ts';
import { LAION_HEADS, type LaionHeadId } from '../iasm/heads.ts';
import { buildIasmModelForPack, createIasmRunner, type IasmResult } from '../iasm/runner.ts';
import { decodeModel, encodeModel, type ModelProto } from '../onnx/index.ts';
import type { IasmInputSpec, IasmLayout, IasmPack, IasmScoreMode } from '../packs/iasm.ts';
import { findIasmPack, PACK_GROUPS } from '../packs/registry.ts';
import { quantizeMatMulWeights, type WeightQuantization } from '../vit/quantize.ts';
import { messageOf } from '../common/errors.ts';

export const USAGE = `Usage:
  aeslens iasm build --model in.onnx --target <tensor> [--target <tensor> …]
                     --score logit|expected|scalar --layout nchw|tokens [--cls-token]
                     [--output <name>] [--input <name>] [--laion-head <id> --embedding <name>]
                     [--mean r,g,b --std r,g,b] [--size <W>x<H>] [--resize stretch|centre-crop]
                     [--quantize int8|q4] --out out.onnx
  aeslens iasm run   (--model built.onnx [--size <W>x<H>] | --pack <id>) --image photo.jpg [--json] [--map map.png]
  aeslens iasm layers --model in.onnx
--resize: how \`run\` makes the score's input from a photo (recorded in the graph): the whole photo
  stretched to the input size (default), or CLIP's centre crop (shortest side to the input side).
LAION heads: ${Object.keys(LAION_HEADS).join(', ')}. Packs: ${Object.keys(PACK_GROUPS).join(', ')} or an IASM pack id.
`;

const IMAGENET = {
  mean: [0.485, 0.456, 0.406] as [number, number, number],
  std: [0.229, 0.224, 0.225] as [number, number, number],
};

const RESIZE_MODES: readonly IasmInputSpec['resize'][] = ['stretch', 'centre-crop'];

class UsageError extends Error {}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === 'build') return await build(rest);
    if (sub === 'run') return await runOnPhoto(rest);
    if (sub === 'layers') return await layers(rest);
    process.stderr.write(USAGE);
    return 2;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`aeslens iasm: ${err.message}\n\n${USAGE}`);
    return 2;
  }
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T {
  if (!value || !(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}${value ? ` (got "${value}")` : ''}`);
  return value as T;
}

function triple(flag: string, value: string | undefined): [number, number, number] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map(Number);
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x)))
    throw new UsageError(`--${flag} takes three numbers, e.g. 0.5,0.5,0.5`);
  return parts as [number, number, number];
}

/** "224" or "224x224" -> [width, height]. */
function size(value: string | undefined): { width: number; height: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)(?:x(\d+))?$/.exec(value);
  if (!m) throw new UsageError(`--size takes <W>x<H> or one number (got "${value}")`);
  return { width: Number(m[1]), height: Number(m[2] ?? m[1]) };
}

async function readModel(path: string | undefined): Promise<ModelProto> {
  if (!path) throw new UsageError('--model is required');
  const bytes = await readFile(path).catch(() => {
    throw new UsageError(`Cannot read model file "${path}"`);
  });
  try {
    return decodeModel(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch (err) {
    throw new UsageError(`"${path}" is not an ONNX model (${messageOf(err)})`);
  }
}

async function build(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      target: { type: 'string', multiple: true },
      score: { type: 'string' },
      layout: { type: 'string' },
      'cls-token': { type: 'boolean', default: false },
      output: { type: 'string' },
      input: { type: 'string' },
      'laion-head': { type: 'string' },
      embedding: { type: 'string' },
      mean: { type: 'string' },
      std: { type: 'string' },
      quantize: { type: 'string' },
      size: { type: 'string' },
      resize: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const source = await readModel(values.model);
  // Weight-only quantisation of the backbone's MatMul weights; the gradient uses the dequantised form.
  const model = values.quantize
    ? quantizeMatMulWeights(source, oneOf<WeightQuantization>('quantize', values.quantize, ['int8', 'q4'])).model
    : source;
  if (!values.target?.length) throw new UsageError('give at least one --target tensor (see `aeslens iasm layers`)');
  if (!values.out) throw new UsageError('--out is required');
  const headId = values['laion-head'];
  if (headId !== undefined && !(headId in LAION_HEADS)) throw new UsageError(`unknown --laion-head "${headId}"`);
  const mean = triple('mean', values.mean);
  const std = triple('std', values.std);
  if ((mean === undefined) !== (std === undefined)) throw new UsageError('give --mean and --std together');
  const options: IasmGraphOptions = {
    targets: values.target,
    score: headId ? 'scalar' : oneOf<IasmScoreMode>('score', values.score, ['logit', 'expected', 'scalar']),
    layout: oneOf<IasmLayout>('layout', values.layout, ['nchw', 'tokens']),
    clsToken: values['cls-token'],
    ...(values.output ? { output: values.output } : {}),
    ...(values.input ? { input: values.input } : {}),
    ...(headId
      ? { head: { embedding: values.embedding ?? 'image_embeds', weights: LAION_HEADS[headId as LaionHeadId] } }
      : {}),
    ...(mean || values.size || values.resize
      ? {
          preprocess: {
            ...(mean && std ? { mean, std } : {}),
            ...size(values.size),
            ...(values.resize ? { resize: oneOf('resize', values.resize, RESIZE_MODES) } : {}),
          },
        }
      : {}),
  };
  const started = performance.now();
  const bytes = encodeModel(buildIasmGraph(model, options));
  await writeFile(values.out, bytes);
  process.stdout.write(
    `Built ${values.out} (${(bytes.length / 1e6).toFixed(1)} MB) in ${(performance.now() - started).toFixed(0)} ms\n`,
  );
  return 0;
}

/** A built IASM model plus the input spec needed to run it. */
async function loadBuilt(values: {
  model?: string;
  pack?: string;
  size?: string;
}): Promise<{ bytes: Uint8Array; input: IasmInputSpec; label: string }> {
  if (values.pack) {
    const id = PACK_GROUPS[values.pack]?.iasm ?? values.pack;
    const pack = findIasmPack(id);
    if (!pack) throw new UsageError(`unknown pack "${values.pack}"`);
    return { bytes: await buildIasmModelForPack(pack, packFiles(pack)), input: pack.input, label: pack.scoreLabel };
  }
  const model = await readModel(values.model);
  const meta = readIasmMetadata(model);
  if (!meta) throw new UsageError(`"${values.model}" is not an IASM graph: build it first with \`aeslens iasm build\``);
  const shape = model.graph.input.find((v) => v.name === meta.input)?.shape;
  const [h, w] = [shape?.[2], shape?.[3]];
  const fixed = typeof h === 'number' && typeof w === 'number' && h > 0 && w > 0 ? { width: w, height: h } : undefined;
  const recorded = meta.preprocess?.width && meta.preprocess.height ? meta.preprocess : undefined;
  const { width, height } = size(values.size) ?? fixed ?? recorded ?? {};
  if (!width || !height) throw new UsageError(`input "${meta.input}" has no fixed height and width: give --size`);
  const recordedMean = meta.preprocess?.mean;
  const recordedStd = meta.preprocess?.std;
  const { mean, std } = recordedMean && recordedStd ? { mean: recordedMean, std: recordedStd } : IMAGENET;
  if (mean === IMAGENET.mean)
    process.stderr.write('note: no --mean/--std were recorded at build time; using ImageNet values\n');
  return {
    bytes: encodeModel(model),
    input: { name: meta.input, width, height, mean, std, resize: meta.preprocess?.resize ?? 'stretch' },
    label: 'score',
  };
}

/** Files of a pack: generated in memory for fixture packs, downloaded for Hub packs. */
function packFiles(pack: IasmPack): (path: string) => Promise<Uint8Array> {
  const source = pack.source;
  if (source.type === 'hub')
    return async (path) => {
      const url = `https://huggingface.co/${source.repo}/resolve/${source.revision}/${path}`;
      const response = await fetch(url).catch((err: unknown) => {
        throw new Error(`Cannot download ${url}: ${messageOf(err)}`);
      });
      if (!response.ok) throw new Error(`Cannot download ${url}: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    };
  const generate = FIXTURES[pack.id];
  if (!generate) throw new Error(`Pack ${pack.id} is served by the web app only; no generator for it`);
  return async (path) => {
    const file = (await generate())[path];
    if (!file) throw new Error(`Fixture ${pack.id} has no file ${path}`);
    return file;
  };
}

async function runOnPhoto(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      pack: { type: 'string' },
      image: { type: 'string' },
      json: { type: 'boolean', default: false },
      map: { type: 'string' },
      size: { type: 'string' },
    },
  });
  if (!values.image) throw new UsageError('--image is required');
  if (!values.model === !values.pack) throw new UsageError('give either --model or --pack');
  const { bytes, input, label } = await loadBuilt(values);
  const photo = sharp(values.image).rotate();
  const meta = await photo.metadata().catch(() => {
    throw new UsageError(`Cannot read image "${values.image}"`);
  });
  // Decoded at full size and preprocessed as the pack says (the app's and `aeslens analyse`'s path).
  const rgba = await readRgba(photo);
  const runner = await createIasmRunner(ort, bytes, { input });
  let result: IasmResult;
  try {
    result = await runner.analyse(rgba);
  } finally {
    await runner.dispose();
  }
  if (values.map)
    await writeMap(values.map, result, meta.autoOrient?.width ?? meta.width, meta.autoOrient?.height ?? meta.height);
  const summary = {
    score: result.score,
    classIndex: result.classIndex,
    camWidth: result.camWidth,
    camHeight: result.camHeight,
    width: result.width,
    height: result.height,
    ...(values.map ? { map: values.map } : {}),
  };
  if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else
    process.stdout.write(
      `${label}: ${result.score.toFixed(4)}  class: ${result.classIndex}\n` +
        `LayerCAM ${result.camWidth}×${result.camHeight}, saliency ${result.width}×${result.height}` +
        `${values.map ? ` -> ${values.map}` : ''}\n`,
    );
  return 0;
}

/** The saliency map as an 8-bit greyscale PNG, scaled (bilinear) to the photo's size. */
async function writeMap(
  path: string,
  result: IasmResult,
  width: number | undefined,
  height: number | undefined,
): Promise<void> {
  const grey = Uint8Array.from(result.saliency, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
  let image = sharp(grey, { raw: { width: result.width, height: result.height, channels: 1 } });
  if (width && height) image = image.resize(width, height, { fit: 'fill', kernel: 'linear' });
  await image.png().toFile(path);
}

async function layers(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { model: { type: 'string' } } });
  const model = await readModel(values.model);
  // Block outputs are residual adds or activations; list those, in graph order.
  const kinds = new Set(['Add', 'Relu', 'Clip', 'Mul', 'Concat', 'LayerNormalization']);
  for (const n of model.graph.node)
    if (kinds.has(n.opType)) for (const o of n.output) process.stdout.write(`${o}\t${n.opType}\n`);
  return 0;
}
