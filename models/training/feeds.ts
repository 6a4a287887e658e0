// The per-example tensors of the training graph: a teacher-forced token sequence with its image
// tokens, the positions whose next token is a target, and the cache inputs at zero length.
import type { TrainingGraph } from './trainingGraph.ts';

/** A tensor as plain data (the runner wraps it for onnxruntime). */
export interface FeedTensor {
  type: 'float32' | 'int64' | 'bool';
  data: Float32Array | BigInt64Array | Uint8Array;
  dims: number[];
}

export interface Example {
  /** The whole sequence: prompt (with image tokens) then the target tokens. */
  ids: readonly number[];
  /** Index of the first target token in `ids`; every token from there on is predicted. */
  targetStart: number;
  /** Image token id: its positions receive the image features, in order. */
  imageTokenId: number;
  /** pixel_values [1, F, C, H, W] as float32. */
  pixels: { data: Float32Array; dims: number[] };
  /** saliency [F or 1, rows, cols]. */
  saliency: { data: Float32Array; dims: number[] };
}

/** The feeds of one example (fusion parameters excluded). */
export function exampleFeeds(graph: TrainingGraph, ex: Example): Record<string, FeedTensor> {
  const S = ex.ids.length;
  const V = graph.vocab;
  const frames = ex.pixels.dims[1]!;
  const rows = frames * graph.imageTokens;
  if (ex.targetStart < 1 || ex.targetStart >= S)
    throw new Error(`The target tokens must start inside the sequence (at ${ex.targetStart} of ${S})`);
  const placement = new Float32Array(S * rows);
  const imageMask = new Float32Array(S);
  let row = 0;
  ex.ids.forEach((id, t) => {
    if (id !== ex.imageTokenId) return;
    if (row >= rows) throw new Error(`The sequence has more image tokens than the ${rows} image features`);
    placement[t * rows + row++] = 1;
    imageMask[t] = 1;
  });
  if (row !== rows) throw new Error(`The sequence has ${row} image tokens for ${rows} image features`);
  const targets = new Float32Array(S * V);
  const count = S - ex.targetStart;
  for (let t = ex.targetStart; t < S; t++) {
    const id = ex.ids[t]!;
    if (id < 0 || id >= V) throw new Error(`Token id ${id} is outside the vocabulary of ${V}`);
    targets[(t - 1) * V + id] = 1 / count;
  }
  const [, , , H, W] = ex.pixels.dims as [number, number, number, number, number];
  const feeds: Record<string, FeedTensor> = {
    pixel_values: { type: 'float32', data: ex.pixels.data, dims: ex.pixels.dims },
    pixel_attention_mask: { type: 'bool', data: new Uint8Array(frames * H * W).fill(1), dims: [1, frames, H, W] },
    saliency: { type: 'float32', data: ex.saliency.data, dims: ex.saliency.dims },
    input_ids: { type: 'int64', data: BigInt64Array.from(ex.ids, BigInt), dims: [1, S] },
    attention_mask: { type: 'int64', data: new BigInt64Array(S).fill(1n), dims: [1, S] },
    position_ids: { type: 'int64', data: BigInt64Array.from({ length: S }, (_, i) => BigInt(i)), dims: [1, S] },
    image_placement: { type: 'float32', data: placement, dims: [1, S, rows] },
    image_token_mask: { type: 'float32', data: imageMask, dims: [1, S] },
    target_weights: { type: 'float32', data: targets, dims: [1, S, V] },
  };
  for (const c of graph.cacheInputs) feeds[c.name] = { type: 'float32', data: new Float32Array(0), dims: c.dims };
  return feeds;
}
