// The built-in per-image pipeline of `aeslens eval`: IASM (score + saliency) then the saliency-guided
// critic, in Node with onnxruntime-node and transformers.js — the same models/ code the workers and
// `aeslens critique` use. Packs resolve like `aeslens critique --pack`: a group ("fixture",
// "default") or "<iasm id>,<critic id>"; fixture packs come from public/models/fixture (written by
// `npm run fixtures`) or, if absent, from their generators in memory.
import * as transformers from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { readRgba } from '../common/readRgba.node.ts';
import { loadCritic } from '../critic/index.ts';
import { criticFileSource, iasmFileReader } from '../critic/packSource.node.ts';
import { buildIasmModelForPack, createIasmRunner } from '../iasm/runner.ts';
import { iasvitStatus } from '../packs/critic.ts';
import { resolvePackSelection } from '../packs/registry.ts';
import type { Pipeline } from './evaluate.ts';

export interface PipelineOptions {
  pack: string;
  guidance: boolean;
  iasvit: boolean;
}

/** Builds the per-image pipeline; `dispose`, when present, is called when the run ends. */
export type PipelineFactory = (options: PipelineOptions) => Promise<Pipeline & { dispose?: () => Promise<void> }>;

/** A pipeline that holds model sessions until disposed. */
export type DisposablePipeline = Pipeline & { dispose(): Promise<void> };

/** Longest edge the critic sees (its processor works on ≤ 2048 px), as in `aeslens critique`. */
const CRITIC_MAX_EDGE = 2048;

export async function createIasmCriticPipeline(options: PipelineOptions): Promise<DisposablePipeline> {
  const packs = resolvePackSelection(options.pack);
  if (options.iasvit) {
    const status = iasvitStatus(packs.critic);
    if (!status.usable) throw new Error(`--iasvit: ${packs.critic.name}: ${status.label}`);
  }
  const iasmBytes = await buildIasmModelForPack(packs.iasm, await iasmFileReader(packs.iasm));
  const iasm = await createIasmRunner(ort, iasmBytes, { input: packs.iasm.input });
  const source = await criticFileSource(packs.critic);
  const critic = await loadCritic(transformers, packs.critic, {
    device: 'cpu',
    iasvit: options.iasvit,
    ...(source ? { fileSource: source } : {}),
  });

  const pipeline = async (imagePath: string) => {
    const scored = await iasm.analyse(await readRgba(imagePath));
    const result = await critic.critique(
      await readRgba(imagePath, { width: CRITIC_MAX_EDGE, height: CRITIC_MAX_EDGE }, 'inside'),
      { data: scored.saliency, width: scored.width, height: scored.height },
      { guidance: options.guidance },
    );
    return {
      critique: result.text,
      score: scored.score,
      saliency: { data: scored.saliency, width: scored.width, height: scored.height },
    };
  };
  return Object.assign(pipeline, {
    async dispose() {
      await critic.dispose();
      await iasm.dispose();
    },
  });
}
