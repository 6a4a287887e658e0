import type { Attributes, ClipMask } from '../models/attributes/index.ts';
import type { ScoredCrop } from '../models/crops/search.ts';
import type { CriticBackend, CriticIasVit, SessionDtypes } from '../models/packs/critic.ts';
import type { SessionTypes } from '../models/critic/types.ts';
import type { DecodedPhoto, PhotoCheck, SniffedImage } from '../app/lib/intake/index.ts';
import type { CameraData } from '../app/lib/intake/camera.ts';

// The one message protocol between the app and its workers. Both sides import these
// types; nothing crosses a worker boundary that is not described here.
//
// Every request carries an `id` chosen by the client. Every response echoes the id of the request
// it belongs to, so one worker can interleave progress of several requests. A request ends with
// exactly one `result` or one `error`; `progress`, `ready` and `token` may come before that.

/** Which ONNX Runtime execution provider a session runs on. */
export type BackendName = 'webgpu' | 'wasm';

export interface BackendInfo {
  backend: BackendName;
  /** Why WASM was used instead of WebGPU (e.g. "no WebGPU adapter", "GPU device lost"). Absent on WebGPU. */
  reason?: string;
  /** Adapter description when on WebGPU, e.g. "google swiftshader". */
  adapter?: string;
  /** Critic: why it runs the known-good float32 files instead of its half-precision ones. */
  precision?: string;
  /** Critic: the dtype of each session's file (e.g. decoder_model_merged 'q4f16'). */
  dtypes?: SessionDtypes;
  /** Critic loaded with the `dtypeSet` test option: its sessions' element types and the first step's logits. */
  check?: { sessionTypes: Record<string, SessionTypes>; firstStep: string };
}

/** Files a user picked from disk ("load a model folder"), by path inside the pack. */
export type LocalPackFiles = Record<string, Blob>;

/** A pack to load: its id from models/packs, plus user-provided files when loaded from a folder. */
export interface PackRef {
  id: string;
  localFiles?: LocalPackFiles;
  /** IAS-ViT fusion weights the loaded folder brings (critic packs; its iasvit/fusion.safetensors). */
  localIasvit?: CriticIasVit;
  /**
   * Critic packs, a test option: run this backend's dtype set on WASM instead of the device's own
   * (ONNX Runtime's CPU kernels take the half-precision files too).
   */
  dtypeSet?: CriticBackend;
}

/** A single-channel map in row-major order, values in [0, 1] unless stated otherwise. */
export interface ScalarMap {
  data: Float32Array;
  width: number;
  height: number;
}

// ---------- responses shared by both workers ----------

export type ProgressStage = 'download' | 'build' | 'session' | 'preprocess' | 'run' | 'generate';

export interface Progress {
  stage: ProgressStage;
  /** File path inside the pack for 'download' (and 'build' when it reads one); '' otherwise. */
  file: string;
  /** Bytes for 'download'; steps or tokens for the others. */
  loaded: number;
  /** 0 when unknown. */
  total: number;
}

export type WorkerErrorCode =
  /** The request was cancelled by the client; not a failure to show. */
  | 'cancelled'
  /** A model file could not be fetched: host unreachable, HTTP error, offline and not cached. */
  | 'network'
  /** A file arrived but does not match its pinned size/sha256, or the model is malformed. */
  | 'bad-model'
  /** The image cannot be used (e.g. zero size). */
  | 'bad-input'
  /** A request named an unknown pack or arrived in the wrong state (our bug). */
  | 'bad-request'
  /** The runtime failed while running the model. */
  | 'runtime'
  /**
   * The GPU device was lost while a run was in flight and the runtime did not recover: the worker
   * is unusable. The client restarts it with `forceWasm` and sends the request again.
   */
  | 'device-lost';

export interface WorkerError {
  code: WorkerErrorCode;
  message: string;
}

export type WorkerResponse<Result> =
  | { id: number; type: 'progress'; progress: Progress }
  /** A session was created (also again after falling back to WASM on device loss). */
  | { id: number; type: 'ready'; backend: BackendInfo }
  /** Streamed text (critic only). */
  | { id: number; type: 'token'; text: string; /** Tokens generated so far. */ tokens: number }
  /** Something the user should know that did not stop the request (e.g. models not stored offline). */
  | { id: number; type: 'notice'; notice: string }
  | { id: number; type: 'result'; result: Result }
  | { id: number; type: 'error'; error: WorkerError };

/** Stop the request `target` (how it ends is each worker's: see its request type). */
export interface CancelRequest {
  id: number;
  type: 'cancel';
  target: number;
}

/** Test hook: destroy the GPU device under the worker's model, as a driver reset would. */
export interface LoseDeviceRequest {
  id: number;
  type: 'test-lose-device';
}

// ---------- IASM worker ----------

export interface IasmLoadResult {
  packId: string;
  backend: BackendInfo;
  /** Input size the photo is resized to. */
  inputWidth: number;
  inputHeight: number;
}

export interface IasmAnalysis {
  packId: string;
  /** Aesthetic score as defined by the pack's score mode. */
  score: number;
  /** Class whose logit the saliency explains (0 for scalar-score packs). */
  classIndex: number;
  /** The image embedding the score's head reads (CLIP `image_embeds`), for packs with a linear head. */
  embedding?: Float32Array;
  /** Raw LayerCAM at the target layer's grid (not normalised). */
  cam: ScalarMap;
  /** Min-max normalised saliency at the model input size. */
  saliency: ScalarMap;
  backend: BackendInfo;
  timings: { preprocessMs: number; runMs: number };
}

// `forceWasm`: skip WebGPU and run on WASM, giving this reason (e.g. after a device loss, or a
// user choice). Without it the worker uses WebGPU when an adapter exists.

export type IasmRequest =
  /** Download/cache the pack, build the IASM graph, create the session. Idempotent per pack. */
  | { id: number; type: 'load'; pack: PackRef; forceWasm?: string }
  /** Analyse one photo (transferred; the worker closes it). Loads the pack first if needed. */
  | { id: number; type: 'analyse'; pack: PackRef; image: ImageBitmap; forceWasm?: string }
  /**
   * Suggest crops of a photo: candidates placed by its `saliency`, cut from `image` (its display
   * bitmap, transferred and closed) and scored in batches by the pack's forward-only score graph.
   * Rectangles are in pixels of the photo as decoded at `photoWidth`×`photoHeight`.
   */
  | {
      id: number;
      type: 'crops';
      pack: PackRef;
      image: ImageBitmap;
      photoWidth: number;
      photoHeight: number;
      saliency: ScalarMap;
      forceWasm?: string;
    }
  /** Ends the request with error code 'cancelled'. */
  | CancelRequest
  | LoseDeviceRequest;

export interface CropSuggestionsResult {
  packId: string;
  /** Every candidate, best first; the full frame is among them as aspect 'original' at 0, 0. */
  crops: ScoredCrop[];
  /** The full frame's score as scored with the candidates. */
  fullFrame: number;
  /** Largest score change among crops indistinguishable from the full frame (models/crops/README.md). */
  noise: number;
  backend: BackendInfo;
  /** Crops scored (candidates and noise probes), and the time to cut and resize them and to score them. */
  timings: { crops: number; resampleMs: number; scoreMs: number };
}

/** What each IASM request type resolves to. */
export interface IasmResults {
  load: IasmLoadResult;
  analyse: IasmAnalysis;
  crops: CropSuggestionsResult;
  cancel: null;
  'test-lose-device': null;
}

export type IasmResponse = WorkerResponse<IasmResults[keyof IasmResults]>;

// ---------- critic worker ----------

export interface CritiqueOptions {
  /** Use the saliency map to guide the critic (saliency-guided inputs). */
  guidance: boolean;
  /**
   * Load the critic with the IAS-ViT vision encoder (only for packs whose `iasvitStatus` is usable);
   * the worker reloads the critic when this changes. Omitted: false.
   */
  iasvit?: boolean;
  /** Omitted: the critic pack's default. */
  maxNewTokens?: number;
  doSample: boolean;
  /** Measured facts, most useful first, told to the critic after the paper's instruction; omitted or [] = not grounded. */
  facts?: string[];
}

export interface CriticLoadResult {
  packId: string;
  backend: BackendInfo;
  /** Whether the loaded critic's vision encoder is IAS-ViT. */
  iasvit: boolean;
}

export interface Critique {
  packId: string;
  text: string;
  /** True when stopped by the user before the model finished. */
  stopped: boolean;
  /** The exact text of the user turn sent to the critic. */
  prompt: string;
  backend: BackendInfo;
  timings: { generateMs: number; tokens: number };
}

export type CriticRequest =
  | { id: number; type: 'load'; pack: PackRef; forceWasm?: string; iasvit?: boolean }
  /** Critique one photo (image transferred; the worker closes it). Tokens stream as 'token' responses. */
  | {
      id: number;
      type: 'critique';
      pack: PackRef;
      image: ImageBitmap;
      saliency: ScalarMap;
      options: CritiqueOptions;
      forceWasm?: string;
    }
  /** Stops generation now; the critique ends with its text so far and `stopped: true`. */
  | CancelRequest
  | LoseDeviceRequest;

/** What each critic request type resolves to. */
export interface CriticResults {
  load: CriticLoadResult;
  critique: Critique;
  cancel: null;
  'test-lose-device': null;
}

export type CriticResponse = WorkerResponse<CriticResults[keyof CriticResults]>;

// ---------- attributes worker ----------

export interface PhotoMeasurement {
  attributes: Attributes;
  /** Whether the saliency-dependent attributes were measured (a map was given). */
  withSaliency: boolean;
  clipMask: ClipMask;
  /** The decoded, oriented size the measurements were taken at. */
  width: number;
  height: number;
  timings: { decodeMs: number; measureMs: number };
}

export type AttributesRequest =
  /**
   * Measure a photo at full resolution. The worker decodes `file` itself (EXIF orientation applied)
   * and keeps the last few scans by `key`, so measuring again with a saliency map skips the pass.
   */
  { id: number; type: 'measure'; key: string; file: Blob; saliency: ScalarMap | null } | CancelRequest;

export interface AttributesResults {
  measure: PhotoMeasurement;
  cancel: null;
}

export type AttributesResponse = WorkerResponse<AttributesResults[keyof AttributesResults]>;

// ---------- intake worker ----------

export type IntakeRequest =
  /** Reads the file's header (and a JPEG's or PNG's structure) and says whether the app accepts it. */
  | { id: number; type: 'check'; file: Blob; fileName: string }
  /**
   * Decodes an accepted photo (`header` is its check's result) to a display bitmap, transferred
   * back (the receiver owns it), with a thumbnail when `thumbnail` is set.
   */
  | { id: number; type: 'decode'; file: Blob; header: SniffedImage; thumbnail: boolean }
  /** Reads the camera data of an accepted photo's EXIF. */
  | { id: number; type: 'camera'; file: Blob }
  | CancelRequest;

export interface IntakeResults {
  check: PhotoCheck;
  decode: DecodedPhoto;
  camera: CameraData;
  cancel: null;
}

export type IntakeResponse = WorkerResponse<IntakeResults[keyof IntakeResults]>;
