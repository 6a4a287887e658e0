// IAS-ViT for a critic pack: turns a SmolVLM-layout pack's vision_encoder into one with the
// extra `saliency` input, and lays an IASM saliency map out as that input. Only trained fusion
// weights are accepted here: a pack must never present zero fusion as saliency-enhanced.
import { decodeModel } from '../onnx/decodeModel.ts';
import { encodeModel } from '../onnx/encodeModel.ts';
import { buildIasVitEncoder } from './build.ts';
import { SALIENCY_INPUT } from './saliencyCrossAttention.ts';
import { quantizeMatMulWeights, type WeightQuantization } from './quantize.ts';

export class UntrainedFusionError extends Error {
  constructor() {
    super(
      'These IAS-ViT fusion weights are untrained (every cross-attention output projection is zero): the encoder would equal the base one',
    );
    this.name = 'UntrainedFusionError';
  }
}

export interface IasVisionEncoder {
  /** The ONNX bytes: the pack's inputs + `saliency`, the same `image_features` output. */
  bytes: Uint8Array;
  /** Patch grid the `saliency` input is laid out on: [rows, cols]. */
  grid: [number, number];
  /** Base blocks that got cross-attention. */
  blocks: number[];
}

/**
 * Builds the IAS-ViT vision_encoder from a pack's `onnx/vision_encoder.onnx` bytes and trained
 * fusion weights (safetensors, models/vit/README.md names); optionally weight-quantised.
 * Throws UntrainedFusionError for zero fusion weights.
 */
export function buildPackIasVisionEncoder(
  visionEncoder: Uint8Array,
  fusion: Uint8Array,
  opts: { quantize?: WeightQuantization } = {},
): IasVisionEncoder {
  const built = buildIasVitEncoder(visionEncoder, fusion);
  if (built.fusion !== 'trained') throw new UntrainedFusionError();
  let model = decodeModel(built.bytes);
  if (opts.quantize) model = quantizeMatMulWeights(model, opts.quantize).model;
  const input = model.graph.input.find((i) => i.name === SALIENCY_INPUT)!;
  const grid = input.shape!.slice(1) as [number, number];
  return { bytes: encodeModel(model), grid, blocks: built.blocks };
}

export interface SaliencyMapLike {
  /** Row-major values, any range (higher = more salient). */
  data: Float32Array;
  width: number;
  height: number;
}

/** A region of the photo in normalised coordinates; { x: 0, y: 0, width: 1, height: 1 } is the whole photo. */
export interface FrameBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const WHOLE_FRAME: FrameBox = { x: 0, y: 0, width: 1, height: 1 };

/**
 * The `saliency` input [frames, rows, cols] for frames showing the given regions of the photo
 * (in pixel_values order: one per image in the prompt, e.g. the whole photo then each crop;
 * every frame a full 512² view, as with `do_image_splitting: false`). The map is min-max
 * normalised to [0, 1] over the whole photo, then area-averaged onto each frame's patch grid.
 */
export function saliencyFrames(
  map: SaliencyMapLike,
  boxes: FrameBox[],
  grid: [number, number],
): { data: Float32Array; dims: [number, number, number] } {
  const [rows, cols] = grid;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of map.data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const range = hi - lo > 1e-12 ? hi - lo : 1;
  const out = new Float32Array(boxes.length * rows * cols);
  boxes.forEach((box, f) => {
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        // The cell's extent in map pixels; pixels whose centres fall inside are averaged, and the part of
        // a letterboxed frame outside the photo (its padding) counts as the lowest saliency.
        const x0 = (box.x + (box.width * c) / cols) * map.width;
        const x1 = (box.x + (box.width * (c + 1)) / cols) * map.width;
        const y0 = (box.y + (box.height * r) / rows) * map.height;
        const y1 = (box.y + (box.height * (r + 1)) / rows) * map.height;
        const [xFrom, xTo] = [Math.ceil(x0 - 0.5), Math.ceil(x1 - 0.5)];
        const [yFrom, yTo] = [Math.ceil(y0 - 0.5), Math.ceil(y1 - 0.5)];
        let sum = 0;
        let n = (xTo - xFrom) * (yTo - yFrom);
        let inside = 0;
        for (let y = Math.max(0, yFrom); y < Math.min(map.height, yTo); y++)
          for (let x = Math.max(0, xFrom); x < Math.min(map.width, xTo); x++) {
            sum += map.data[y * map.width + x]!;
            inside++;
          }
        sum += lo * (n - inside);
        if (n === 0) {
          // Cell smaller than a pixel: the pixel under its centre, or the lowest saliency in the padding.
          const x = Math.floor((x0 + x1) / 2);
          const y = Math.floor((y0 + y1) / 2);
          const onPhoto = x >= 0 && x < map.width && y >= 0 && y < map.height;
          sum = onPhoto ? map.data[y * map.width + x]! : lo;
          n = 1;
        }
        out[(f * rows + r) * cols + c] = (sum / n - lo) / range;
      }
  });
  return { data: out, dims: [boxes.length, rows, cols] };
}
