// Crop suggestions in the IASM worker: the pack's forward-only score graph in a second session on
// the same backend as the IASM session; crops cut from the photo's bitmap pixels and preprocessed
// as the whole photo's score input is (preprocessScore), scored a batch at a time.
import { cropScorer, scaleRect } from '../models/crops/pixels.ts';
import { suggestCrops } from '../models/crops/search.ts';
import type { SharedIasmModel } from '../models/iasm/runner.ts';
import { buildSharedScoreModel } from '../models/iasm/scoreGraph.ts';
import { createScoreRunner, type ScoreRunner } from '../models/iasm/scoreRunner.ts';
import type { IasmPack } from '../models/packs/iasm.ts';
import { bitmapToRgba, watchedRun, type WatchedDevice } from './gpu.ts';
import { ort } from './ortWeb.ts';
import type { BackendInfo, CropSuggestionsResult, IasmRequest } from './protocol.ts';

/** How long a run on a lost device may take to end by itself before the worker reports it. */
const RUN_SETTLE_MS = 3000;

export interface ScoringSession {
  pack: IasmPack;
  model: SharedIasmModel;
  backend: BackendInfo;
  gpu: WatchedDevice;
}

/** The score runner of an IASM session, created once on the session's backend. */
export function createSessionScorer(s: ScoringSession): Promise<ScoreRunner> {
  const backbone = s.model.externalData[0]!;
  const built = buildSharedScoreModel(s.pack, backbone.data);
  const device = s.gpu.device;
  return createScoreRunner(ort, built.model, s.pack, {
    executionProviders: s.backend.backend === 'webgpu' && device ? [{ name: 'webgpu', device }] : ['wasm'],
    externalData: built.externalData,
  });
}

export async function scoreCrops(
  s: ScoringSession,
  scorer: ScoreRunner,
  request: Extract<IasmRequest, { type: 'crops' }>,
  check: () => void,
): Promise<CropSuggestionsResult> {
  const { image, photoWidth, photoHeight, saliency } = request;
  const photo = { width: photoWidth, height: photoHeight };
  const times = { resampleMs: 0, scoreMs: 0, crops: 0 };
  let t = performance.now();
  // The bitmap's pixels once; each crop is cut from them and preprocessed as a photo of its own.
  const pixels = bitmapToRgba(image);
  const score = cropScorer(
    pixels,
    s.pack.input,
    async (inputs) => {
      check();
      times.resampleMs += performance.now() - t;
      times.crops += inputs.length;
      t = performance.now();
      const scores = await watchedRun(s.gpu, scorer.score(inputs), RUN_SETTLE_MS);
      times.scoreMs += performance.now() - t;
      t = performance.now();
      return scores;
    },
    (r) => scaleRect(r, photo, pixels),
  );
  const suggestions = await suggestCrops(photoWidth, photoHeight, saliency, score);
  return { packId: s.pack.id, ...suggestions, backend: s.backend, timings: times };
}
