// The critic's public types: load options, file sources, critique options and results.
import type * as Transformers from '@huggingface/transformers';
import type { CriticBackend, CriticPack, SessionDtypes } from '../packs/critic.ts';
import type { CropBox, SaliencyMap } from './crops.ts';
import type { PackFileReader } from './iasVisionEncoder.ts';
import type { RgbaImage } from './image.ts';

export type TransformersModule = typeof Transformers;
export type CriticDevice = 'webgpu' | 'wasm' | 'cpu';

/** Where the pack's files come from, when not from the pack's own source. */
export type FileSource =
  /** An absolute URL of a folder holding the pack's files (a mirror, or a test server). */
  | { type: 'url'; baseUrl: string }
  /**
   * Node only: a folder on disk holding the pack's files. `read` (path inside the folder → bytes) is
   * needed for IAS-ViT, which builds its encoder from the folder's files before transformers.js loads.
   */
  | { type: 'directory'; path: string; read?: PackFileReader }
  /** A folder the user dropped: relative path (e.g. 'onnx/embed_tokens_q4.onnx') → contents. */
  | { type: 'files'; files: ReadonlyMap<string, Blob | Uint8Array>; label?: string };

export interface CriticProgress {
  status: 'initiate' | 'download' | 'progress' | 'done';
  /** Path inside the pack, e.g. 'onnx/decoder_model_merged_q4.onnx'. */
  file: string;
  /** Bytes so far and expected (0 when unknown). */
  loaded: number;
  total: number;
}

type ModelLoadOptions = NonNullable<
  Parameters<TransformersModule['AutoModelForImageTextToText']['from_pretrained']>[1]
>;
type WebGpuProvider = Extract<
  NonNullable<NonNullable<ModelLoadOptions['session_options']>['executionProviders']>[number],
  { name: 'webgpu' }
>;
/** GPUDevice where WebGPU's types are loaded (workers), else unknown (Node). */
export type WebGpuDevice = NonNullable<WebGpuProvider['device']>;

/** Why the critic runs the known-good float32 set instead of its backend's half-precision one. */
export interface CriticFallback {
  /** The backend whose set was replaced. */
  from: CriticBackend;
  reason: string;
  /**
   * Whether the device is at fault (the files loaded badly or gave NaN/Inf logits here), so later loads
   * on it should skip the half-precision set; false when a file was missing or corrupt, which a fresh
   * download or an intact folder fixes.
   */
  deviceFault: boolean;
}

export interface LoadCriticOptions {
  device: CriticDevice;
  /** Load this backend's set of files instead of the device's (e.g. to run every set on the CPU). */
  backend?: CriticBackend;
  /**
   * Skip the half-precision set and load the known-good one at once, e.g. because it failed on this
   * device before; the text is the reason the critic's `fallback` gives.
   */
  avoidHalfPrecision?: string;
  /** Whether the WebGPU adapter has 'shader-f16' (selects the half-precision files). */
  hasShaderF16?: boolean;
  onProgress?: (p: CriticProgress) => void;
  fileSource?: FileSource;
  /** Origin that same-origin pack paths are resolved against (default: globalThis.location.origin). */
  origin?: string;
  /** Host of Hub packs (default 'https://huggingface.co/'). */
  hubHost?: string;
  /**
   * Use the IAS-ViT vision encoder built from the pack's encoder and fusion weights (the pack must
   * offer it: `iasvitStatus(pack).usable`); every critique then needs a saliency map.
   */
  iasvit?: boolean;
  /**
   * The WebGPU device (a GPUDevice) the sessions run on, for device 'webgpu'. The caller creates it
   * so it can watch `device.lost`; without it ONNX Runtime creates a device of its own.
   */
  webgpuDevice?: WebGpuDevice;
}

export interface CritiqueOptions {
  /** Saliency guidance: add up to `maxCrops` crops of the most salient regions and a grounded line (default true). */
  guidance?: boolean;
  maxCrops?: number;
  /** Split large views into 512² tiles as SmolVLM's processor does by default (default false: one 512² view per image). */
  splitImages?: boolean;
  maxNewTokens?: number;
  /** Sampling instead of greedy decoding (default: the pack's generation settings, greedy). */
  doSample?: boolean;
  /** Repetition penalty (default: the pack's generation settings); 1 turns it off. */
  repetitionPenalty?: number;
  temperature?: number;
  /**
   * Measured facts about the photo, most useful first, told after the paper's instruction (grounding): as many
   * whole facts as the critic's tokenizer fits in GROUNDING_TOKENS.
   */
  facts?: readonly string[];
  /** Called with each piece of decoded text as it is generated, and the count of tokens generated so far. */
  onToken?: (text: string, tokens: number) => void;
  /** Stops generation after the current token; the result then has finish 'aborted'. */
  signal?: AbortSignal;
}

export interface CritiqueTimings {
  /** Crops, chat template, image processing and tokenisation. */
  preprocessMs: number;
  /** From the start of generate() to the first new token (vision encoder + prefill + first step). */
  firstTokenMs: number;
  generateMs: number;
  totalMs: number;
  /** New tokens after the first, per second of decoding after the first token. */
  tokensPerSecond: number;
  /** Median time between two new tokens (robust to a stall in between); 0 with fewer than two. */
  medianTokenMs: number;
}

export interface CritiqueResult {
  text: string;
  /** Number of generated tokens. */
  tokens: number;
  finish: 'eos' | 'length' | 'aborted';
  /** The saliency crops shown to the model (empty without guidance). */
  crops: CropBox[];
  /** The user turn's text (saliency line + the paper's instruction + measured facts): exactly what was sent. */
  prompt: string;
  promptTokens: number;
  imageTokens: number;
  timings: CritiqueTimings;
}

/** Input and output element types of one ONNX session, by name (e.g. 'past_key_values.0.key' → 'float16'). */
export interface SessionTypes {
  inputs: Record<string, string>;
  outputs: Record<string, string>;
}

export interface Critic {
  readonly pack: CriticPack;
  readonly backend: CriticBackend;
  readonly dtypes: SessionDtypes;
  /** The pack files this critic loaded (config + the ONNX files of its dtypes; with IAS-ViT its sources). */
  readonly files: string[];
  /** Whether the vision encoder is the saliency-enhanced IAS-ViT one. */
  readonly iasvit: boolean;
  /** Set when the backend's half-precision set was replaced by the known-good float32 one. */
  readonly fallback: CriticFallback | null;
  critique(image: RgbaImage, saliency: SaliencyMap | null, options?: CritiqueOptions): Promise<CritiqueResult>;
  /** The element types the loaded sessions take and give, by session name. */
  sessionTypes(): Record<string, SessionTypes>;
  /**
   * Runs one decoding step on a short text prompt and says what is wrong with its logits (NaN or
   * infinite values), or null when every logit is finite.
   */
  firstStepProblem(): Promise<string | null>;
  /** Releases the ONNX sessions; the critic cannot be used afterwards. */
  dispose(): Promise<void>;
}
