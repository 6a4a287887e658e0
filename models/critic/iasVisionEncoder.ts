// IAS-ViT in the critic: builds the saliency-enhanced vision_encoder from the pack's own encoder and
// its fusion weights, and serves the built bytes to transformers.js in place of the pack's file
// (through `env.customCache`, which transformers.js asks before any folder or host).
import { iasvitStatus, onnxFile, type CriticDtype, type CriticPack } from '../packs/critic.ts';
import { buildPackIasVisionEncoder } from '../vit/pack.ts';
import type { WeightQuantization } from '../vit/quantize.ts';
import type { CacheLike } from './verify.ts';

/** The IAS-ViT encoder was asked for a pack that cannot offer it (no trained fusion weights). */
export class IasVitUnavailableError extends Error {
  override readonly name = 'IasVitUnavailableError';
}

/** The IAS-ViT encoder needs a saliency map and one 512² frame per image. */
export class IasVitInputError extends Error {
  override readonly name = 'IasVitInputError';
}

/** The base encoder IAS-ViT extends: the pack's fp32 vision_encoder (quantised after the build). */
export const IASVIT_BASE_FILE = onnxFile('vision_encoder', 'fp32');

/**
 * The vision-encoder slot the built encoder is served in for a pack dtype, and how it is quantised:
 * 8-bit and 4-bit slots get weight-only int8 / 4-bit builds; there is no half-precision build, so
 * fp16 / q4f16 slots load the fp32 one.
 */
export function iasvitVisionSlot(dtype: CriticDtype): { dtype: CriticDtype; quantize?: WeightQuantization } {
  if (dtype === 'q8') return { dtype, quantize: 'int8' };
  if (dtype === 'q4') return { dtype, quantize: 'q4' };
  return { dtype: 'fp32' };
}

/** Reads one file of the pack (path inside it, e.g. 'onnx/vision_encoder.onnx'). */
export type PackFileReader = (path: string) => Promise<Uint8Array>;

export interface IasVisionFile {
  /** Pack path transformers.js requests for the vision encoder at `dtype`. */
  path: string;
  dtype: CriticDtype;
  bytes: Uint8Array;
  /** Patch grid of the `saliency` input: [rows, cols]. */
  grid: [number, number];
  /** The pack files read to build it. */
  sources: string[];
}

/**
 * Builds the pack's IAS-ViT vision encoder for the pack dtype `dtype`. Throws IasVitUnavailableError
 * when the pack has no usable fusion weights (vit's UntrainedFusionError for all-zero ones).
 */
export async function buildIasVisionFile(
  pack: CriticPack,
  dtype: CriticDtype,
  read: PackFileReader,
): Promise<IasVisionFile> {
  const status = iasvitStatus(pack);
  if (!status.usable || !pack.iasvit)
    throw new IasVitUnavailableError(`"${pack.name}" cannot use the IAS-ViT encoder: ${status.label}.`);
  const slot = iasvitVisionSlot(dtype);
  const [base, fusion] = await Promise.all([read(IASVIT_BASE_FILE), read(pack.iasvit.fusion.path)]);
  const built = buildPackIasVisionEncoder(base, fusion, slot.quantize ? { quantize: slot.quantize } : {});
  const expected = pack.iasvit.blocks.join(',');
  if (built.blocks.join(',') !== expected)
    throw new Error(
      `The IAS-ViT fusion weights of "${pack.name}" cover blocks ${built.blocks.join(',')}, its manifest says ${expected}`,
    );
  return {
    path: onnxFile('vision_encoder', slot.dtype),
    dtype: slot.dtype,
    bytes: built.bytes,
    grid: built.grid,
    sources: [IASVIT_BASE_FILE, pack.iasvit.fusion.path],
  };
}

/** A cache that keeps what is put in it for as long as it lives (stands in where there is no other). */
export function memoryCache(): CacheLike {
  const entries = new Map<string, Uint8Array>();
  return {
    async match(request) {
      const bytes = entries.get(request);
      return bytes ? new Response(bytes as Uint8Array<ArrayBuffer>) : undefined;
    },
    async put(request, response) {
      entries.set(request, new Uint8Array(await response.arrayBuffer()));
    },
    async delete(request) {
      return entries.delete(request);
    },
  };
}

/**
 * `inner`, except that requests for the model's `file.path` (by URL or local path) are answered
 * with the built encoder, so transformers.js never loads the pack's own file for that slot.
 */
export function servingCache<M>(inner: InnerCache<M>, modelId: string, file: IasVisionFile): InnerCache<M | Response> {
  // By local path ('…/<model>/onnx/…'), or by URL, whose template may put a revision in between.
  const served = (request: string) => {
    const path = request.split(/[?#]/)[0]!;
    return path.endsWith(`/${file.path}`) && path.includes(`${modelId}/`);
  };
  return {
    match: async (request) =>
      served(request)
        ? new Response(file.bytes as Uint8Array<ArrayBuffer>, {
            headers: { 'content-length': String(file.bytes.byteLength) },
          })
        : inner.match(request),
    put: async (request, response) => (served(request) ? undefined : inner.put(request, response)),
    delete: async (request) => (inner.delete ? inner.delete(request) : false),
  };
}

/** What transformers.js needs of a cache (`delete` is ours, and optional); `M` is what `match` resolves to. */
export interface InnerCache<M = Response | undefined> {
  match(request: string): Promise<M>;
  put(request: string, response: Response): Promise<void>;
  delete?(request: string): Promise<boolean>;
}
