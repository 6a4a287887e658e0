// Where pack files live in the browser: the Cache Storage names and the URLs files are fetched
// and cached under. The workers store files there; the page reads sizes and deletes from there.
import type { PackBase } from './types.ts';

/** Our Cache Storage for IASM files and built graphs (transformers.js keeps its own 'transformers-cache'). */
export const MODEL_CACHE = 'aeslens-models-v1';
/** transformers.js's cache name (env.cacheKey default). */
export const TRANSFORMERS_CACHE = 'transformers-cache';
/** The Hugging Face Hub, where real packs' files come from. */
export const HUB_HOST = 'https://huggingface.co';

/** The URL a pack file is fetched from (and cached under). */
export function packFileUrl(pack: PackBase, path: string): string {
  const source = pack.source;
  if (source.type === 'hub') return `${HUB_HOST}/${source.repo}/resolve/${source.revision}/${path}`;
  return new URL(`${source.baseUrl}${path}`, self.location.origin).href;
}

/** Key under which a derived artefact (e.g. the built IASM graph) is cached. */
export function derivedUrl(kind: string, pack: PackBase, version: string): string {
  return new URL(`/__derived/${kind}/${pack.id}.onnx?v=${encodeURIComponent(version)}`, self.location.origin).href;
}

/** The id of the pack a derivedUrl was built from, or undefined for any other URL. */
export function derivedPackId(url: string): string | undefined {
  return /^\/__derived\/[^/]+\/([^/]+)\.onnx$/.exec(new URL(url).pathname)?.[1];
}
