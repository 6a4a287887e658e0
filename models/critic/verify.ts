// Checks model files against the sizes and sha256 a pack pins: on download (through transformers.js's
// `env.fetch`) and when read back from the browser cache (through `env.customCache`), so a corrupt
// cached file is dropped and downloaded again instead of breaking the model.
import { sha256Hex } from '../common/sha256.ts';
import type { PackFile } from '../packs/types.ts';
import { CriticLoadError } from './errors.ts';

/** The pinned file a URL or cache key refers to (matched on the pack path at its end). */
export type PinLookup = (urlOrKey: string) => PackFile | undefined;

export function pinLookup(files: readonly PackFile[]): PinLookup | undefined {
  const pinned = files.filter((f) => f.sha256 || f.bytes !== undefined);
  if (pinned.length === 0) return undefined;
  return (urlOrKey) => {
    const path = urlOrKey.split(/[?#]/)[0]!;
    return pinned.find((f) => path.endsWith(`/${f.path}`) || path === f.path);
  };
}

/** Why `bytes` do not match `pin`, or null when they do. */
export async function mismatch(pin: PackFile, bytes: Uint8Array): Promise<string | null> {
  if (pin.bytes !== undefined && pin.bytes !== bytes.byteLength)
    return `${bytes.byteLength} bytes instead of ${pin.bytes}`;
  if (pin.sha256 && (await sha256Hex(bytes)) !== pin.sha256.toLowerCase())
    return 'its sha256 differs from the pinned one';
  return null;
}

type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * A fetch that reads pinned files completely and rejects a download that does not match its pin
 * (partial-content probes, e.g. Range requests for file sizes, pass through unchecked).
 */
export function verifyingFetch(fetchImpl: Fetch, pinFor: PinLookup, packName: string): Fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    const url = typeof input === 'string' ? input : input.href;
    const pin = pinFor(url);
    if (!pin || response.status !== 200) return response;
    const bytes = new Uint8Array(await response.arrayBuffer());
    const why = await mismatch(pin, bytes);
    if (why)
      throw new CriticLoadError(
        'corrupt-file',
        `The downloaded model file ${pin.path} of "${packName}" is corrupt (${why}). Try again, or load a model folder from disk.`,
      );
    return new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200, headers: response.headers });
  };
}

/** The parts of the Cache API transformers.js uses, plus delete. */
export interface CacheLike {
  match(request: string): Promise<Response | undefined>;
  put(request: string, response: Response): Promise<void>;
  delete(request: string): Promise<boolean>;
}

/** A cache that forgets pinned entries whose bytes no longer match, so they are downloaded again. */
export function verifyingCache(inner: CacheLike, pinFor: PinLookup): CacheLike {
  return {
    async match(request) {
      const cached = await inner.match(request);
      const pin = cached && pinFor(request);
      if (!cached || !pin) return cached;
      const bytes = new Uint8Array(await cached.arrayBuffer());
      if (await mismatch(pin, bytes)) {
        await inner.delete(request);
        return undefined;
      }
      return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: cached.headers });
    },
    put: (request, response) => inner.put(request, response),
    delete: (request) => inner.delete(request),
  };
}
