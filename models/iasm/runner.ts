// Runs a built IASM graph with whichever onnxruntime the caller has (onnxruntime-web in the worker,
// onnxruntime-node in the CLI and tests): one session run gives score, class, cam and saliency.
//
// `analyse(photo)` takes the photo at any size and preprocesses it as the pack says (preprocess.ts):
// the score from the pack's score input (CLIP's centre crop), the map from the whole photo resized
// to the input size, so the saliency covers every pixel of the photo and maps back by plain scaling.
import type * as Ort from 'onnxruntime-common';
import { decodeModel, encodeModel, encodeModelSharingData } from '../onnx/index.ts';
import type { IasmInputSpec, IasmPack } from '../packs/iasm.ts';
import { buildIasmGraph, IASM_EMBEDDING_OUTPUT, type IasmGraphOptions } from './build.ts';
import { LAION_HEADS } from './heads.ts';
import { preprocessPhoto, rgbaToNchw, type PackInputs, type PhotoRect, type RgbaImage } from './preprocess.ts';

export type { PackInputs, PhotoRect, RgbaImage };

/** The parts of onnxruntime-web / onnxruntime-node the runner uses. */
export type OrtModule = Pick<typeof Ort, 'InferenceSession' | 'Tensor'>;

export interface IasmResult {
  score: number;
  classIndex: number;
  /** The embedding a linear head scores (graphs built with one), from the same run as the score. */
  embedding?: Float32Array;
  /** Raw LayerCAM map on the target grid (not normalised), row-major camHeight×camWidth. */
  cam: Float32Array;
  camWidth: number;
  camHeight: number;
  /** Saliency in [0, 1] at the input size, row-major height×width. */
  saliency: Float32Array;
  width: number;
  height: number;
}

/** A photo's analysis: the map from the whole photo, the score from the pack's score input. */
export interface IasmPhotoResult extends IasmResult {
  /** The part of the photo (photo pixels) the score was read from. */
  scoreRegion: PhotoRect;
}

export interface IasmRunner {
  /** The input size run() expects. */
  readonly input: IasmInputSpec;
  /** One run on an image already resized to the input size (no crop). */
  run(image: RgbaImage): Promise<IasmResult>;
  /**
   * The photo at any size, preprocessed as the pack says: one run, and where the score input is a
   * crop a second, forward-only one for its score.
   */
  analyse(photo: RgbaImage): Promise<IasmPhotoResult>;
  /** analyse() on inputs already made by preprocessPhoto (for callers that time the two apart). */
  runInputs(inputs: PackInputs): Promise<IasmPhotoResult>;
  dispose(): Promise<void>;
}

export interface IasmSessionOptions {
  executionProviders?: Ort.InferenceSession.SessionOptions['executionProviders'];
  /** Files the model's external data refers to (onnxruntime-web only), e.g. SharedIasmModel's. */
  externalData?: SharedIasmModel['externalData'];
}

/** A session for a graph built from an aesthetic backbone (the IASM graph, the score graph). */
export function createIasmSession(
  ort: OrtModule,
  modelBytes: Uint8Array,
  options: IasmSessionOptions,
): Promise<Ort.InferenceSession> {
  // Without executionProviders, each runtime picks its default (wasm in onnxruntime-web, cpu in -node).
  return ort.InferenceSession.create(modelBytes, {
    ...(options.executionProviders ? { executionProviders: options.executionProviders } : {}),
    ...(options.externalData ? { externalData: options.externalData } : {}),
    graphOptimizationLevel: 'all',
    // Without QDQ fusions: they would turn the dequantized 8-bit weights' MatMuls back into an
    // 8-bit MatMulNBits that also quantizes activations, which changes the score.
    extra: { session: { disable_quant_qdq: '1' } },
  });
}

export async function createIasmRunner(
  ort: OrtModule,
  modelBytes: Uint8Array,
  pack: { input: IasmInputSpec },
  options: IasmSessionOptions = {},
): Promise<IasmRunner> {
  const session = await createIasmSession(ort, modelBytes, options);
  const spec = pack.input;
  const tensor = (values: Float32Array) => new ort.Tensor('float32', values, [1, 3, spec.height, spec.width]);
  const runTensor = async (values: Float32Array): Promise<IasmResult> => {
    const pixels = tensor(values);
    const out = await session.run({ [spec.name]: pixels });
    pixels.dispose();
    try {
      const cam = out.cam!;
      const saliency = out.saliency!;
      const embedding = out[IASM_EMBEDDING_OUTPUT];
      return {
        score: (out.score!.data as Float32Array)[0]!,
        ...(embedding ? { embedding: Float32Array.from(embedding.data as Float32Array) } : {}),
        classIndex: Number((out.class_index!.data as BigInt64Array)[0]!),
        cam: Float32Array.from(cam.data as Float32Array),
        camHeight: cam.dims[1]!,
        camWidth: cam.dims[2]!,
        saliency: Float32Array.from(saliency.data as Float32Array),
        height: saliency.dims[1]!,
        width: saliency.dims[2]!,
      };
    } finally {
      for (const t of Object.values(out)) t.dispose();
    }
  };
  // Fetching the score (and the embedding it reads) alone, onnxruntime runs only the nodes it needs:
  // the forward pass, no backward.
  const forward = session.outputNames.includes(IASM_EMBEDDING_OUTPUT) ? ['score', IASM_EMBEDDING_OUTPUT] : ['score'];
  const scoreOnly = async (values: Float32Array): Promise<Pick<IasmResult, 'score' | 'embedding'>> => {
    const pixels = tensor(values);
    const out = await session.run({ [spec.name]: pixels }, forward);
    pixels.dispose();
    try {
      const embedding = out[IASM_EMBEDDING_OUTPUT];
      return {
        score: (out.score!.data as Float32Array)[0]!,
        ...(embedding ? { embedding: Float32Array.from(embedding.data as Float32Array) } : {}),
      };
    } finally {
      for (const t of Object.values(out)) t.dispose();
    }
  };
  const runInputs = async (inputs: PackInputs): Promise<IasmPhotoResult> => {
    const whole = await runTensor(inputs.whole);
    const scored = inputs.score === inputs.whole ? whole : await scoreOnly(inputs.score);
    return {
      ...whole,
      score: scored.score,
      ...(scored.embedding ? { embedding: scored.embedding } : {}),
      scoreRegion: inputs.scoreRegion,
    };
  };
  return {
    input: spec,
    async run(image) {
      if (image.width !== spec.width || image.height !== spec.height)
        throw new Error(`Resize the image to ${spec.width}×${spec.height} first (got ${image.width}×${image.height})`);
      return runTensor(rgbaToNchw(image, spec));
    },
    analyse: (photo) => runInputs(preprocessPhoto(photo, spec)),
    runInputs,
    dispose: () => session.release(),
  };
}

/** The buildIasmGraph options a pack describes. */
export function iasmOptionsForPack(pack: IasmPack): IasmGraphOptions {
  const { mean, std, width, height, resize } = pack.input;
  const preprocess = { mean, std, width, height, resize };
  return {
    targets: pack.targets,
    score: pack.score,
    layout: pack.layout,
    clsToken: pack.clsToken,
    input: pack.input.name,
    preprocess,
    ...(pack.output ? { output: pack.output } : {}),
    ...(pack.head.type === 'laion-linear'
      ? { head: { embedding: pack.head.embedding, weights: LAION_HEADS[pack.head.head] } }
      : {}),
  };
}

/**
 * Builds the pack's IASM graph from its files and returns the encoded model, ready for
 * createIasmRunner (and for caching: building is deterministic for given files).
 */
export async function buildIasmModelForPack(
  pack: IasmPack,
  files: (path: string) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const backbone = decodeModel(await files(pack.backbone));
  return encodeModel(buildIasmGraph(backbone, iasmOptionsForPack(pack)));
}

/** Name under which a shared model refers to its backbone file's bytes. */
export const BACKBONE_DATA = 'backbone.onnx';

/** A built IASM graph that reads the backbone's weights from the backbone file itself. */
export interface SharedIasmModel {
  /** The graph and what it adds (new small constants); the backbone's weights are external data. */
  model: Uint8Array;
  /** The backbone file, as onnxruntime-web's `externalData` session option takes it. */
  externalData: { path: string; data: Uint8Array }[];
}

/**
 * Builds the pack's IASM graph like buildIasmModelForPack, but encodes it with the backbone's
 * weights as external data pointing into the backbone file: the encoded graph is small (cached as
 * such beside the backbone, not as a second copy of it) and building copies no weights. Runs in
 * onnxruntime-web, whose sessions take external data from memory.
 */
export async function buildSharedIasmModel(
  pack: IasmPack,
  files: (path: string) => Promise<Uint8Array>,
): Promise<SharedIasmModel> {
  const backbone = await files(pack.backbone);
  const model = encodeModelSharingData(
    buildIasmGraph(decodeModel(backbone), iasmOptionsForPack(pack)),
    backbone,
    BACKBONE_DATA,
  );
  return { model, externalData: [{ path: BACKBONE_DATA, data: backbone }] };
}
