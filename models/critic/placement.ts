// Where a critic pack's files come from: the Hub at the pinned revision, our origin, a folder on disk
// (Node) or a folder the user dropped (answered through env.customCache, never the network). Each
// placement gives transformers.js's settings and a reader of the same files (for IAS-ViT's sources).
import type { CriticPack } from '../packs/critic.ts';
import type { Env, EnvSettings } from './env.ts';
import { CriticLoadError } from './errors.ts';
import type { PackFileReader } from './iasVisionEncoder.ts';
import type { LoadCriticOptions } from './types.ts';

/** Stands in for a host that is never contacted: requests for a dropped folder are answered locally. */
export const DROPPED_FOLDER_HOST = 'https://dropped-folder.aeslens.invalid/';

export interface Placement {
  settings: Partial<EnvSettings>;
  /** Reads a pack file from the same place transformers.js loads it from (given the final settings). */
  reader: (settings: Partial<EnvSettings>, env: Env) => PackFileReader;
  /** Downloads are checked against the pack's pinned sizes/sha256 (not for the user's own folders). */
  verify: boolean;
  modelId: string;
  revision: string;
  /** Where the files come from, for messages. */
  where: string;
}

/** Splits '/models/fixture/fixture-smolvlm/' into ('/models/fixture/', 'fixture-smolvlm'). */
function splitFolder(path: string): [string, string] {
  const trimmed = path.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  return [`${trimmed.slice(0, cut + 1)}`, trimmed.slice(cut + 1)];
}

function toResponse(body: Blob | Uint8Array): Response {
  const size = body instanceof Blob ? body.size : body.byteLength;
  const payload = body instanceof Blob ? body : new Blob([body as Uint8Array<ArrayBuffer>]);
  return new Response(payload, { headers: { 'content-length': String(size) } });
}

/** A file of a dropped folder by its path in the pack; paths may start with the folder's own name. */
function droppedFile(files: ReadonlyMap<string, Blob | Uint8Array>, path: string): Blob | Uint8Array | undefined {
  return files.get(path) ?? [...files].find(([p]) => p.endsWith(`/${path}`))?.[1];
}

async function bytesOf(body: Blob | Uint8Array): Promise<Uint8Array> {
  return body instanceof Blob ? new Uint8Array(await body.arrayBuffer()) : body;
}

/**
 * Reads pack files from a host as transformers.js would: the cache first (the browser's, with the
 * pack's pins when it has them), else a download through the same fetch, stored for offline use.
 */
function hostReader(modelId: string, revision: string, packName: string) {
  return (settings: Partial<EnvSettings>, env: Env): PackFileReader => {
    const base = `${settings.remoteHost ?? env.remoteHost}${(settings.remotePathTemplate ?? env.remotePathTemplate)
      .replaceAll('{model}', modelId)
      .replaceAll('{revision}', encodeURIComponent(revision))}`;
    const fetchImpl = settings.fetch ?? env.fetch;
    return async (path) => {
      const url = `${base.replace(/\/?$/, '/')}${path}`;
      const cache = settings.useCustomCache ? settings.customCache : undefined;
      const cached = (await cache?.match(url)) as Response | undefined;
      if (cached) return new Uint8Array(await cached.arrayBuffer());
      const response = await fetchImpl(url);
      if (response.status === 404)
        throw new CriticLoadError(
          'missing-file',
          `A model file of "${packName}" is missing: ${url}. Re-download the model, or load a complete model folder.`,
        );
      if (!response.ok) throw new Error(`Cannot download ${url}: HTTP ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      await cache?.put(url, new Response(bytes as Uint8Array<ArrayBuffer>));
      return bytes;
    };
  };
}

export function placement(pack: CriticPack, opts: LoadCriticOptions): Placement {
  const source = opts.fileSource;
  const remote = { allowRemoteModels: true, allowLocalModels: false, useCustomCache: false };
  if (!source && pack.source.type === 'hub') {
    const host = opts.hubHost ?? 'https://huggingface.co/';
    return {
      settings: { ...remote, remoteHost: host, remotePathTemplate: '{model}/resolve/{revision}/' },
      reader: hostReader(pack.source.repo, pack.source.revision, pack.name),
      verify: true,
      modelId: pack.source.repo,
      revision: pack.source.revision,
      where: new URL(host).host,
    };
  }
  if (!source || source.type === 'url') {
    const base = source ? source.baseUrl : (pack.source as { baseUrl: string }).baseUrl;
    const origin = opts.origin ?? globalThis.location?.origin;
    if (!source && !origin)
      throw new Error(`Pack ${pack.id} is served by our origin: pass options.origin outside a browser`);
    const absolute = new URL(base, origin ?? undefined).href;
    const [parent, name] = splitFolder(absolute);
    return {
      settings: { ...remote, remoteHost: parent, remotePathTemplate: '{model}/' },
      reader: hostReader(name, 'main', pack.name),
      verify: true,
      modelId: name,
      revision: 'main',
      where: new URL(absolute).host || absolute,
    };
  }
  if (source.type === 'directory') {
    const [parent, name] = splitFolder(source.path);
    return {
      settings: { allowRemoteModels: false, allowLocalModels: true, useCustomCache: false, localModelPath: parent },
      reader: () => {
        if (!source.read) throw new Error('A directory file source needs `read` to build the IAS-ViT encoder');
        return source.read;
      },
      verify: false,
      modelId: name,
      revision: 'main',
      where: source.path,
    };
  }
  // A dropped folder: the custom cache answers every file it holds; anything else gets a local 404
  // from `fetch`, so nothing is requested from the network.
  const files = source.files;
  const modelId = pack.modelId;
  // Paths may carry the dropped folder's own name ('SmolVLM-256M-Instruct/onnx/…'): match on the end.
  const fileFor = (key: string) => {
    const at = key.lastIndexOf(`${modelId}/`);
    return at < 0 ? undefined : droppedFile(files, key.slice(at + modelId.length + 1));
  };
  const where = source.label ?? 'the loaded model folder';
  return {
    settings: {
      ...remote,
      remoteHost: DROPPED_FOLDER_HOST,
      remotePathTemplate: '{model}/',
      useCustomCache: true,
      customCache: {
        match: async (request: string | Request) => {
          const body = fileFor(typeof request === 'string' ? request : request.url);
          return body ? toResponse(body) : undefined;
        },
        put: async () => {},
      },
      fetch: async () => new Response('Not in the loaded folder', { status: 404 }),
    },
    reader: () => async (path) => {
      const body = droppedFile(files, path);
      if (!body)
        throw new CriticLoadError(
          'missing-file',
          `A model file of "${pack.name}" is missing: ${path}. Load a complete model folder.`,
        );
      return bytesOf(body);
    },
    verify: false,
    modelId,
    revision: 'main',
    where,
  };
}
