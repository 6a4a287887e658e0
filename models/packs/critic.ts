// Critic packs: a SmolVLM (transformers.js idefics3) checkpoint, the ONNX dtype per session and
// backend, and the prompt/generation defaults. models/critic loads any of them the same way.
import { SMOLVLM_256M_PINS, SMOLVLM_256M_REVISION } from './smolvlmPins.ts';
import type { PackBase, PackFile } from './types.ts';

/** The three sessions of a transformers.js image-text-to-text (idefics3) export, files onnx/<session><suffix>.onnx. */
export const CRITIC_SESSIONS = ['vision_encoder', 'embed_tokens', 'decoder_model_merged'] as const;
export type CriticSession = (typeof CRITIC_SESSIONS)[number];

/** transformers.js dtypes and their file suffixes (src/utils/dtypes.js DEFAULT_DTYPE_SUFFIX_MAPPING). */
export const DTYPE_SUFFIX = { fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4', q4f16: '_q4f16' } as const;
export type CriticDtype = keyof typeof DTYPE_SUFFIX;
export type SessionDtypes = Record<CriticSession, CriticDtype>;

/** Where the critic runs: WebGPU with or without the shader-f16 feature, browser WASM, or Node's CPU. */
export const CRITIC_BACKENDS = ['webgpu-f16', 'webgpu', 'wasm', 'cpu'] as const;
export type CriticBackend = (typeof CRITIC_BACKENDS)[number];

/** The backend a critic device runs as: WebGPU takes the half-precision files only with shader-f16. */
export function criticBackend(device: 'webgpu' | 'wasm' | 'cpu', hasShaderF16 = false): CriticBackend {
  return device === 'webgpu' ? (hasShaderF16 ? 'webgpu-f16' : 'webgpu') : device;
}

/**
 * IAS-ViT fusion weights for the pack's vision tower (safetensors, names in models/vit/README.md):
 * with them the critic can swap its vision_encoder for the saliency-enhanced IAS-ViT one.
 */
export interface CriticIasVit {
  fusion: PackFile;
  /** Vision-tower blocks the fusion weights add saliency cross-attention to. */
  blocks: number[];
  /** Trained weights. A fixture pack's are seeded random ones (untrained, for exercising the path). */
  trained: boolean;
}

/**
 * Decoding settings of a pack: the model authors' generation_config.json (greedy: it sets no sampling) plus what
 * the official transformers.js SmolVLM demos run with (repetition penalty 1.1; greedy decoding without one loops
 * on small models). The user's Critic settings override maxNewTokens and sampling.
 */
export interface GenerationSettings {
  maxNewTokens: number;
  doSample: boolean;
  /** transformers.js `repetition_penalty`: logits of tokens already in the sequence are divided (or, if negative, multiplied) by it. */
  repetitionPenalty: number;
  /** Where the values come from, shown in Critic settings. */
  source: string;
}

export interface CriticPack extends PackBase {
  kind: 'critic';
  /** Model id handed to transformers.js: the Hub repo, or the fixture folder's name. */
  modelId: string;
  /**
   * ONNX dtype per session for each backend; every referenced file is in `files`. The 'webgpu' set (float32
   * activations throughout) is the known-good one that a failing 'webgpu-f16' set falls back to.
   */
  dtypes: Record<CriticBackend, SessionDtypes>;
  /** Download size per backend when its files are not all pinned with bytes (see criticDownloadBytes). */
  approxDownloadBytes: Record<CriticBackend, number>;
  /** The paper's prompt, sent through the model's chat template. */
  prompt: string;
  generation: GenerationSettings;
  /** Absent: no IAS-ViT fusion weights exist for this checkpoint (the critic uses saliency crops only). */
  iasvit?: CriticIasVit;
}

export const NO_IASVIT_LABEL = 'IAS-ViT: no trained fusion weights in this pack';

/** Where a pack (or a model folder) keeps its IAS-ViT fusion weights. */
export const IASVIT_FUSION_PATH = 'iasvit/fusion.safetensors';

/**
 * The IAS-ViT entry for fusion weights a model folder brings at IASVIT_FUSION_PATH, from their tensor
 * names: taken as trained (all-zero ones are refused when the encoder is built).
 */
export function folderIasvit(tensorNames: readonly string[]): CriticIasVit {
  const blocks = [
    ...new Set(tensorNames.map((n) => /^ias\.blocks\.(\d+)\./.exec(n)?.[1]).filter((b) => b !== undefined)),
  ]
    .map(Number)
    .sort((a, b) => a - b);
  return { fusion: { path: IASVIT_FUSION_PATH }, blocks, trained: true };
}

/**
 * Whether the IAS-ViT encoder can be offered for `pack`, and the line that says so. Trained fusion
 * weights, or a fixture pack's random ones (the whole pack is labelled untrained); never zero or
 * absent weights presented as a saliency-enhanced model.
 */
export function iasvitStatus(pack: CriticPack): { usable: boolean; label: string } {
  const ias = pack.iasvit;
  const blocks = ias ? `cross-attention in ${ias.blocks.length} vision block${ias.blocks.length === 1 ? '' : 's'}` : '';
  if (ias?.trained) return { usable: true, label: `IAS-ViT: trained fusion weights (${blocks})` };
  if (ias && pack.fixture)
    return { usable: true, label: `IAS-ViT: random fixture fusion weights, untrained (${blocks})` };
  return { usable: false, label: NO_IASVIT_LABEL };
}

export const CRITIC_PROMPT = 'Comment on this image from an aesthetic perspective.';

/** The JSON files transformers.js fetches for an idefics3 model (chat template: tokenizer_config.json). */
const CONFIG_FILES = [
  'config.json',
  'generation_config.json',
  'preprocessor_config.json',
  'processor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
];

/** The ONNX path transformers.js requests for a session at a dtype. */
export function onnxFile(session: CriticSession, dtype: CriticDtype): string {
  return `onnx/${session}${DTYPE_SUFFIX[dtype]}.onnx`;
}

/** Config files plus every ONNX file any backend of `dtypes` uses (each listed once, with its pin), then `extra`. */
function packFiles(
  dtypes: Record<CriticBackend, SessionDtypes>,
  pins: ReadonlyMap<string, PackFile> = new Map(),
  extra: PackFile[] = [],
): PackFile[] {
  const onnx = new Set<string>();
  for (const byBackend of Object.values(dtypes))
    for (const session of CRITIC_SESSIONS) onnx.add(onnxFile(session, byBackend[session]));
  const listed = [...CONFIG_FILES, ...[...onnx].sort()].map((path) => pins.get(path) ?? { path });
  return [...listed, ...extra];
}

/** The files (config + ONNX) one backend downloads. */
export function criticFilesFor(pack: CriticPack, backend: CriticBackend): string[] {
  return [...CONFIG_FILES, ...CRITIC_SESSIONS.map((s) => onnxFile(s, pack.dtypes[backend][s]))];
}

/** What a backend downloads: the sum of its files' pinned bytes (exact), else the pack's estimate. */
export function criticDownloadBytes(pack: CriticPack, backend: CriticBackend): { bytes: number; exact: boolean } {
  const sizes = criticFilesFor(pack, backend).map((path) => pack.files.find((f) => f.path === path)?.bytes);
  if (sizes.every((b) => b !== undefined)) return { bytes: sizes.reduce((a, b) => a + b, 0), exact: true };
  return { bytes: pack.approxDownloadBytes[backend], exact: false };
}

/** Bytes `to` downloads beyond the files `from` already fetched (what a fallback adds); null when not all pinned. */
export function criticExtraBytes(pack: CriticPack, from: CriticBackend, to: CriticBackend): number | null {
  const have = new Set(criticFilesFor(pack, from));
  let extra = 0;
  for (const path of criticFilesFor(pack, to)) {
    if (have.has(path)) continue;
    const bytes = pack.files.find((f) => f.path === path)?.bytes;
    if (bytes === undefined) return null;
    extra += bytes;
  }
  return extra;
}

// Both real checkpoints offer, per session: '' (fp32), _fp16, _q4, _q4f16, _quantized (q8), _int8,
// _uint8, _bnb4. WebGPU with shader-f16 takes the half-precision files; plain WebGPU the fp32
// vision/embedding with a 4-bit decoder (MatMulNBits runs on WebGPU; public transformers.js labs run
// exactly this set on WebGPU); WASM and Node CPU the 8-bit vision/embedding with the 4-bit decoder.
const SMOLVLM_DTYPES: Record<CriticBackend, SessionDtypes> = {
  'webgpu-f16': { vision_encoder: 'fp16', embed_tokens: 'fp16', decoder_model_merged: 'q4f16' },
  webgpu: { vision_encoder: 'fp32', embed_tokens: 'fp32', decoder_model_merged: 'q4' },
  wasm: { vision_encoder: 'q8', embed_tokens: 'q8', decoder_model_merged: 'q4' },
  cpu: { vision_encoder: 'q8', embed_tokens: 'q8', decoder_model_merged: 'q4' },
};

// The fixture has files for every dtype the real packs name, with the real files' input and output
// types (models/fixtures/smolvlmPrecision.ts), so it runs every backend's set as the real pack does.
const FIXTURE_DTYPES = SMOLVLM_DTYPES;

/** A SmolVLM Instruct checkpoint on the Hub: the sizes differ only in the fields passed here. */
function smolvlmHubPack({
  id,
  name,
  description,
  repo,
  revision,
  approxDownloadBytes,
  pins,
  generation,
}: Pick<CriticPack, 'id' | 'name' | 'description' | 'approxDownloadBytes' | 'generation'> & {
  repo: string;
  revision: string;
  pins?: ReadonlyMap<string, PackFile>;
}): CriticPack {
  return {
    id,
    kind: 'critic',
    name,
    description,
    license: 'Apache-2.0 (HuggingFaceTB)',
    fixture: false,
    source: { type: 'hub', repo, revision },
    modelId: repo,
    files: packFiles(SMOLVLM_DTYPES, pins),
    dtypes: SMOLVLM_DTYPES,
    approxDownloadBytes,
    prompt: CRITIC_PROMPT,
    generation,
  };
}

/** SmolVLM Instruct's generation_config.json sets only token ids (greedy); the official demos add the penalty. */
const SMOLVLM_GENERATION: GenerationSettings = {
  maxNewTokens: 160,
  doSample: false,
  repetitionPenalty: 1.1,
  source: "generation_config.json (greedy) and the official SmolVLM WebGPU demo's repetition penalty",
};

// Seeded random fusion weights for both blocks of the fixture's vision tower (models/fixtures/smolvlm.ts).
const FIXTURE_IASVIT: CriticIasVit = { fusion: { path: IASVIT_FUSION_PATH }, blocks: [0, 1], trained: false };

export const CRITIC_PACKS: CriticPack[] = [
  smolvlmHubPack({
    id: 'smolvlm-256m',
    name: 'SmolVLM 256M Instruct',
    description:
      'The smallest SmolVLM (SigLIP 93M vision tower + SmolLM2 135M), 64 image tokens per 512² view. ' +
      'Writes the critique on your GPU (WebGPU) or CPU (WASM).',
    repo: 'HuggingFaceTB/SmolVLM-256M-Instruct',
    // The commit public projects pin; every file it names is pinned with bytes and sha256 (smolvlmPins.ts).
    revision: SMOLVLM_256M_REVISION,
    pins: SMOLVLM_256M_PINS,
    // Unused while every file is pinned (criticDownloadBytes sums the pins).
    approxDownloadBytes: { 'webgpu-f16': 0, webgpu: 0, wasm: 0, cpu: 0 },
    generation: SMOLVLM_GENERATION,
  }),
  smolvlmHubPack({
    id: 'smolvlm-500m',
    name: 'SmolVLM 500M Instruct',
    description: 'SmolVLM with SmolLM2 360M: better critiques, about twice the download and time of the 256M model.',
    repo: 'HuggingFaceTB/SmolVLM-500M-Instruct',
    // The commit public projects pin. No public source gives its per-file sizes or hashes, so its files
    // are not pinned; one gives 811,545,504 bytes for the 'webgpu' set's ONNX files (fp32 vision and
    // embeddings, q4 decoder). The other sizes are estimates.
    revision: 'a7da5b986cb59b408707209984f360a5f4ad7e47',
    generation: SMOLVLM_GENERATION,
    approxDownloadBytes: {
      'webgpu-f16': 190_000_000 + 95_000_000 + 250_000_000,
      webgpu: 811_545_504 + 3_600_000,
      wasm: 100_000_000 + 48_000_000 + 280_000_000,
      cpu: 100_000_000 + 48_000_000 + 280_000_000,
    },
  }),
  {
    id: 'fixture-smolvlm',
    kind: 'critic',
    name: 'Demo critic (untrained SmolVLM fixture)',
    description:
      'A tiny generated model with the layout of SmolVLM-256M-Instruct. Untrained: its critique is word salad, ' +
      'only for trying the app and for tests.',
    license: 'MIT (generated by AesLens)',
    fixture: true,
    source: { type: 'origin', baseUrl: '/models/fixture/fixture-smolvlm/' },
    modelId: 'fixture-smolvlm',
    files: packFiles(FIXTURE_DTYPES, undefined, [FIXTURE_IASVIT.fusion]),
    dtypes: FIXTURE_DTYPES,
    approxDownloadBytes: { 'webgpu-f16': 480_000, webgpu: 480_000, wasm: 375_000, cpu: 375_000 },
    prompt: CRITIC_PROMPT,
    generation: { ...SMOLVLM_GENERATION, maxNewTokens: 24 },
    iasvit: FIXTURE_IASVIT,
  },
];
