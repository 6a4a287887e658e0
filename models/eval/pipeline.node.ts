// The built-in per-image pipeline of `aeslens eval`: IASM (score + saliency) then the saliency-guided
// critic, in Node with onnxruntime-node and transformers.js — the same models/ code the workers and
// `aeslens critique` use. Packs resolve like `aeslens critique --pack`: a group ("fixture",
// "default") or "<iasm id>,<critic id>"; fixture packs come from public/models/fixture (written by
// `npm run fixtures`) or, if absent, from their generators in memory.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as transformers from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { loadCritic, type FileSource } from '../critic/index.ts';
import { FIXTURES } from '../fixtures/index.ts';
import { buildIasmModelForPack, createIasmRunner } from '../iasm/runner.ts';
import type { CriticPack } from '../packs/critic.ts';
import type { IasmPack } from '../packs/iasm.ts';
import { resolvePackSelection } from '../packs/registry.ts';
import type { Pipeline } from './evaluate.ts';

export interface PipelineOptions {
  pack: string;
  guidance: boolean;
  iasvit: boolean;
}

/** A pipeline that holds model sessions until disposed. */
export type DisposablePipeline = Pipeline & { dispose(): Promise<void> };

const FIXTURE_DIR = resolve('public/models/fixture');
/** Longest edge the critic sees (its processor works on ≤ 2048 px), as in `aeslens critique`. */
const CRITIC_MAX_EDGE = 2048;

async function generated(id: string): Promise<Record<string, Uint8Array>> {
  const generate = FIXTURES[id];
  if (!generate) throw new Error(`pack ${id} is only served by the web app; run \`npm run fixtures\``);
  return generate();
}

async function iasmFileReader(pack: IasmPack): Promise<(path: string) => Promise<Uint8Array>> {
  if (pack.source.type === 'hub') {
    const { repo, revision } = pack.source;
    return async (path) => {
      const url = `https://huggingface.co/${repo}/resolve/${revision}/${path}`;
      const response = await fetch(url).catch((err: unknown) => {
        throw new Error(
          `cannot download ${url} (${err instanceof Error ? err.message : String(err)}); use --pack fixture offline`,
        );
      });
      if (!response.ok) throw new Error(`cannot download ${url}: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    };
  }
  const dir = join(FIXTURE_DIR, pack.id);
  if (existsSync(dir)) return async (path) => new Uint8Array(await readFile(join(dir, path)));
  const files = await generated(pack.id);
  return async (path) => {
    const bytes = files[path];
    if (!bytes) throw new Error(`the ${pack.id} generator wrote no ${path}`);
    return bytes;
  };
}

async function criticSource(pack: CriticPack): Promise<FileSource | undefined> {
  if (pack.source.type !== 'origin') return undefined;
  const dir = join(FIXTURE_DIR, pack.modelId);
  if (existsSync(join(dir, 'config.json'))) return { type: 'directory', path: dir };
  return { type: 'files', files: new Map(Object.entries(await generated(pack.id))), label: `the generated ${pack.id}` };
}

export async function createIasmCriticPipeline(options: PipelineOptions): Promise<DisposablePipeline> {
  if (options.iasvit) {
    throw new Error(
      '--iasvit: the critic cannot load an IAS-ViT vision encoder yet (models/critic has no such option)',
    );
  }
  const packs = resolvePackSelection(options.pack);
  const iasmBytes = await buildIasmModelForPack(packs.iasm, await iasmFileReader(packs.iasm));
  const iasm = await createIasmRunner(ort, iasmBytes, { input: packs.iasm.input });
  const source = await criticSource(packs.critic);
  const critic = await loadCritic(transformers, packs.critic, {
    device: 'cpu',
    ...(source ? { fileSource: source } : {}),
  });

  const pipeline = async (imagePath: string) => {
    const photo = sharp(imagePath).rotate();
    const { input } = iasm;
    const small = await photo
      .clone()
      .resize(input.width, input.height, { fit: 'fill' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const scored = await iasm.run({
      data: new Uint8Array(small.data.buffer, small.data.byteOffset, small.data.length),
      width: input.width,
      height: input.height,
    });
    const { data, info } = await photo
      .clone()
      .resize(CRITIC_MAX_EDGE, CRITIC_MAX_EDGE, { fit: 'inside', withoutEnlargement: true })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const result = await critic.critique(
      { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height },
      { data: scored.saliency, width: scored.width, height: scored.height },
      { guidance: options.guidance },
    );
    return { critique: result.text, score: scored.score };
  };
  return Object.assign(pipeline, {
    async dispose() {
      await critic.dispose();
      await iasm.dispose();
    },
  });
}
