// Critic packs: a SmolVLM (transformers.js idefics3) checkpoint, the ONNX dtype per session and
// backend, and the prompt/generation defaults. models/critic loads any of them the same way.
import type { PackBase, PackFile } from './types.ts';

/** The three sessions of a transformers.js image-text-to-text (idefics3) export, files onnx/<session><suffix>.onnx. */
export const CRITIC_SESSIONS = ['vision_encoder', 'embed_tokens', 'decoder_model_merged'] as const;
export type CriticSession = (typeof CRITIC_SESSIONS)[number];

/** transformers.js dtypes and their file suffixes (src/utils/dtypes.js DEFAULT_DTYPE_SUFFIX_MAPPING). */
export const DTYPE_SUFFIX = { fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4', q4f16: '_q4f16' } as const;
export type CriticDtype = keyof typeof DTYPE_SUFFIX;
export type SessionDtypes = Record<CriticSession, CriticDtype>;

/** Where the critic runs: WebGPU with or without the shader-f16 feature, browser WASM, or Node's CPU. */
export type CriticBackend = 'webgpu-f16' | 'webgpu' | 'wasm' | 'cpu';

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

export interface CriticPack extends PackBase {
  kind: 'critic';
  /** Model id handed to transformers.js: the Hub repo, or the fixture folder's name. */
  modelId: string;
  /** ONNX dtype per session for each backend; every referenced file is in `files`. */
  dtypes: Record<CriticBackend, SessionDtypes>;
  /** Download size per backend to show before downloading (approximate unless files[].bytes are pinned). */
  approxDownloadBytes: Record<CriticBackend, number>;
  /** The paper's prompt, sent through the model's chat template. */
  prompt: string;
  /** Default generation settings (greedy). */
  maxNewTokens: number;
  /** Absent: no IAS-ViT fusion weights exist for this checkpoint (the critic uses saliency crops only). */
  iasvit?: CriticIasVit;
}

export const NO_IASVIT_LABEL = 'IAS-ViT: no trained fusion weights in this pack';

/** Where a pack (or a model folder) keeps its IAS-ViT fusion weights. */
export const IASVIT_FUSION_PATH = 'iasvit/fusion.safetensors';

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

/** Config files plus every ONNX file any backend of `dtypes` uses (each listed once), then `extra`. */
function packFiles(
  dtypes: Record<CriticBackend, SessionDtypes>,
  sizes: Record<string, number> = {},
  extra: PackFile[] = [],
): PackFile[] {
  const onnx = new Set<string>();
  for (const byBackend of Object.values(dtypes))
    for (const session of CRITIC_SESSIONS) onnx.add(onnxFile(session, byBackend[session]));
  const listed = [...CONFIG_FILES, ...[...onnx].sort()].map((path) =>
    sizes[path] ? { path, bytes: sizes[path] } : { path },
  );
  return [...listed, ...extra];
}

/** The files (config + ONNX) one backend downloads. */
export function criticFilesFor(pack: CriticPack, backend: CriticBackend): string[] {
  return [...CONFIG_FILES, ...CRITIC_SESSIONS.map((s) => onnxFile(s, pack.dtypes[backend][s]))];
}

// Both real checkpoints offer, per session: '' (fp32), _fp16, _q4, _q4f16, _quantized (q8), _int8,
// _uint8, _bnb4 (Hub listing of SmolVLM-256M-Instruct/onnx at acc0547). WebGPU with shader-f16 takes
// the half-precision files; plain WebGPU the fp32 vision/embedding with a 4-bit decoder (MatMulNBits
// runs on WebGPU); WASM and Node CPU the 8-bit vision/embedding with the 4-bit decoder.
const SMOLVLM_DTYPES: Record<CriticBackend, SessionDtypes> = {
  'webgpu-f16': { vision_encoder: 'fp16', embed_tokens: 'fp16', decoder_model_merged: 'q4f16' },
  webgpu: { vision_encoder: 'fp32', embed_tokens: 'fp32', decoder_model_merged: 'q4' },
  wasm: { vision_encoder: 'q8', embed_tokens: 'q8', decoder_model_merged: 'q4' },
  cpu: { vision_encoder: 'q8', embed_tokens: 'q8', decoder_model_merged: 'q4' },
};

// The fixture has fp32 and _q4 files (4-bit MatMulNBits decoder) for every session.
const FIXTURE_DTYPES: Record<CriticBackend, SessionDtypes> = {
  'webgpu-f16': { vision_encoder: 'fp32', embed_tokens: 'fp32', decoder_model_merged: 'fp32' },
  webgpu: { vision_encoder: 'fp32', embed_tokens: 'fp32', decoder_model_merged: 'fp32' },
  wasm: { vision_encoder: 'q4', embed_tokens: 'q4', decoder_model_merged: 'q4' },
  cpu: { vision_encoder: 'q4', embed_tokens: 'q4', decoder_model_merged: 'q4' },
};

/** A SmolVLM Instruct checkpoint on the Hub: the sizes differ only in the fields passed here. */
function smolvlmHubPack({
  id,
  name,
  description,
  repo,
  revision,
  approxDownloadBytes,
}: Pick<CriticPack, 'id' | 'name' | 'description' | 'approxDownloadBytes'> & {
  repo: string;
  revision: string;
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
    files: packFiles(SMOLVLM_DTYPES),
    dtypes: SMOLVLM_DTYPES,
    approxDownloadBytes,
    prompt: CRITIC_PROMPT,
    maxNewTokens: 160,
  };
}

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
    // Commit "Add ONNX sample code" (acc0547), after "Wrap fp16 inputs for ONNX decoder (#3)".
    revision: 'acc054744d60adea9d88214dab6e2219e6e512a7',
    // From the Hub listing (rounded): decoder fp32 541 MB, fp16 271 MB, q4 86.9 MB, q4f16 77.4 MB,
    // q8 138 MB; embed_tokens fp32 114 MB. Vision encoder sizes are estimates from its 93M parameters.
    approxDownloadBytes: {
      'webgpu-f16': 190_000_000 + 57_000_000 + 77_400_000,
      webgpu: 380_000_000 + 114_000_000 + 86_900_000,
      wasm: 100_000_000 + 28_500_000 + 86_900_000,
      cpu: 100_000_000 + 28_500_000 + 86_900_000,
    },
  }),
  smolvlmHubPack({
    id: 'smolvlm-500m',
    name: 'SmolVLM 500M Instruct',
    description: 'SmolVLM with SmolLM2 360M: better critiques, about twice the download and time of the 256M model.',
    repo: 'HuggingFaceTB/SmolVLM-500M-Instruct',
    // The commit public transformers.js projects pin for this repo's ONNX export (onnx/ with the
    // fp32/fp16/q4 files used here; read offline from their sources, not from the Hub itself).
    revision: 'a7da5b986cb59b408707209984f360a5f4ad7e47',
    approxDownloadBytes: {
      'webgpu-f16': 190_000_000 + 95_000_000 + 250_000_000,
      webgpu: 380_000_000 + 190_000_000 + 280_000_000,
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
    files: packFiles(FIXTURE_DTYPES, {}, [FIXTURE_IASVIT.fusion]),
    dtypes: FIXTURE_DTYPES,
    approxDownloadBytes: { 'webgpu-f16': 480_000, webgpu: 480_000, wasm: 375_000, cpu: 375_000 },
    prompt: CRITIC_PROMPT,
    maxNewTokens: 24,
    iasvit: FIXTURE_IASVIT,
  },
];
