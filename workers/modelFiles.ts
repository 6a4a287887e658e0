// Model files in our own Cache Storage: fetched once (per-file progress, verified against the
// pack's pinned size/sha256), then read from the cache — also offline. Cache names and URLs are
// models/packs/urls.ts.
import { sha256Hex } from '../models/common/sha256.ts';
import { mismatch } from '../models/critic/verify.ts';
import type { PackBase } from '../models/packs/types.ts';
import { MODEL_CACHE, packFileUrl } from '../models/packs/urls.ts';
import type { LocalPackFiles, Progress } from './protocol.ts';
import { messageOf } from '../models/common/errors.ts';

/** Raised for failures the user can act on (network, integrity); `code` maps to WorkerErrorCode. */
export class ModelFileError extends Error {
  constructor(
    readonly code: 'network' | 'bad-model' | 'cancelled',
    message: string,
  ) {
    super(message);
    this.name = 'ModelFileError';
  }
}

async function readWithProgress(
  response: Response,
  expected: number,
  onBytes: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const total = Number(response.headers.get('Content-Length')) || expected || 0;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    if (signal?.aborted) {
      await reader.cancel();
      throw new ModelFileError('cancelled', 'cancelled');
    }
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onBytes(loaded, Math.max(total, loaded));
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

export interface FileRequest {
  pack: PackBase;
  path: string;
  localFiles?: LocalPackFiles;
  signal?: AbortSignal;
  onProgress?(progress: Progress): void;
  /** The file could not be stored for offline use (quota full, private mode); it is used anyway. */
  onNotStored?(message: string): void;
}

/**
 * The bytes of one pack file: from the user's folder, else our cache, else the network (then
 * cached). Verifies pinned size and sha256 of downloaded files.
 */
export async function loadPackFile(request: FileRequest): Promise<Uint8Array> {
  const { pack, path, localFiles, signal, onProgress } = request;
  const pinned = pack.files.find((f) => f.path === path);
  const report = (loaded: number, total: number): void =>
    onProgress?.({ stage: 'download', file: path, loaded, total });
  const local = localFiles?.[path];
  if (local) {
    const bytes = new Uint8Array(await local.arrayBuffer());
    report(bytes.length, bytes.length);
    return bytes;
  }
  const url = packFileUrl(pack, path);
  const cache = await openCache();
  const cached = await cache?.match(url);
  if (cached) {
    const bytes = new Uint8Array(await cached.arrayBuffer());
    // A cached copy that no longer matches its pin is dropped and downloaded again.
    if (!pinned || !(await mismatch(pinned, bytes))) {
      report(bytes.length, bytes.length);
      return bytes;
    }
    await cache!.delete(url);
  }
  let response: Response;
  try {
    response = await fetch(url, { signal, mode: 'cors', credentials: 'omit' });
  } catch (err) {
    if (signal?.aborted) throw new ModelFileError('cancelled', 'cancelled');
    const host = new URL(url).host;
    throw new ModelFileError(
      'network',
      `Could not download ${path} of “${pack.name}” from ${host}` +
        `${navigator.onLine ? '' : ' (you are offline)'}: ${messageOf(err)}`,
    );
  }
  if (!response.ok) {
    throw new ModelFileError('network', `Downloading ${path} of “${pack.name}” failed: HTTP ${response.status}`);
  }
  const bytes = await readWithProgress(response, pinned?.bytes ?? 0, report, signal);
  if (pinned?.bytes !== undefined && bytes.length !== pinned.bytes) {
    throw new ModelFileError(
      'bad-model',
      `${path} of “${pack.name}” has ${bytes.length} bytes, expected ${pinned.bytes}`,
    );
  }
  if (pinned?.sha256 && (await sha256Hex(bytes)) !== pinned.sha256.toLowerCase()) {
    throw new ModelFileError('bad-model', `${path} of “${pack.name}” does not match its pinned sha256`);
  }
  report(bytes.length, bytes.length);
  await putInCache(cache, url, bytes, request.onNotStored);
  return bytes;
}

async function openCache(): Promise<Cache | undefined> {
  try {
    return await caches.open(MODEL_CACHE);
  } catch {
    return undefined; // Cache Storage unavailable (e.g. some private modes): download every time.
  }
}

/**
 * Stores a downloaded file for offline use. Best effort: a full quota must not stop the analysis
 * the file was downloaded for, so a failure is reported through `onNotStored`, not thrown.
 */
async function putInCache(
  cache: Cache | undefined,
  url: string,
  bytes: Uint8Array,
  onNotStored?: (message: string) => void,
): Promise<void> {
  if (!cache) return;
  try {
    await cache.put(
      url,
      new Response(bytes as Uint8Array<ArrayBuffer>, {
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.length) },
      }),
    );
  } catch (err) {
    const why =
      err instanceof DOMException && err.name === 'QuotaExceededError' ? 'the storage quota is full' : String(err);
    onNotStored?.(
      `Models could not be stored for offline use (${why}): they work now but will be downloaded again ` +
        'next time. Free some disk space, or delete cached models in the Models view.',
    );
  }
}

export async function readDerived(url: string): Promise<Uint8Array | undefined> {
  const hit = await (await openCache())?.match(url);
  return hit ? new Uint8Array(await hit.arrayBuffer()) : undefined;
}

export async function writeDerived(
  url: string,
  bytes: Uint8Array,
  onNotStored?: (message: string) => void,
): Promise<void> {
  const cache = await openCache();
  // Drop older versions of the same artefact first.
  const prefix = url.split('?')[0]!;
  for (const req of (await cache?.keys()) ?? [])
    if (req.url.startsWith(prefix) && req.url !== url) await cache?.delete(req);
  await putInCache(cache, url, bytes, onNotStored);
}
