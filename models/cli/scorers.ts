// The IASM runner (score + saliency of the photo) and the score runner (batched crop scores) of one
// pack, for the commands that suggest crops.
import * as ort from 'onnxruntime-node';
import { iasmFileReader } from '../critic/packSource.node.ts';
import { buildIasmModelForPack, createIasmRunner, type IasmRunner } from '../iasm/runner.ts';
import { buildScoreModelForPack } from '../iasm/scoreGraph.ts';
import { createScoreRunner, type ScoreRunner } from '../iasm/scoreRunner.ts';
import type { IasmPack } from '../packs/iasm.ts';
import { findIasmPack, PACK_GROUPS } from '../packs/registry.ts';

export class UnknownPackError extends Error {}

export interface Scorers {
  pack: IasmPack;
  iasm: IasmRunner;
  score: ScoreRunner;
  dispose(): Promise<void>;
}

/** Both runners of the pack a group name or IASM pack id names. */
export async function loadScorers(spec: string): Promise<Scorers> {
  const pack = findIasmPack(PACK_GROUPS[spec]?.iasm ?? spec);
  if (!pack) throw new UnknownPackError(`unknown IASM pack "${spec}"`);
  const read = await iasmFileReader(pack);
  const iasm = await createIasmRunner(ort, await buildIasmModelForPack(pack, read), pack);
  const score = await createScoreRunner(ort, await buildScoreModelForPack(pack, read), pack);
  return {
    pack,
    iasm,
    score,
    dispose: async () => {
      await iasm.dispose();
      await score.dispose();
    },
  };
}
