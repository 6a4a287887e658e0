// Loads a critic pack with transformers.js (AutoProcessor + AutoModelForImageTextToText). One loader
// for every pack: only where the files come from differs (placement.ts). Isomorphic: the caller
// passes in the transformers.js module (the worker and Node import their own).
import { messageOf } from '../common/errors.ts';
import {
  criticBackend,
  criticFilesFor,
  onnxFile,
  type CriticBackend,
  type CriticPack,
  type SessionDtypes,
} from '../packs/critic.ts';
import { SALIENCY_INPUT } from '../vit/saliencyCrossAttention.ts';
import { withEnv, type Env } from './env.ts';
import { classifyLoadError, CriticLoadError } from './errors.ts';
import { LoadedCritic } from './generate.ts';
import {
  buildIasVisionFile,
  memoryCache,
  servingCache,
  type IasVisionFile,
  type InnerCache,
} from './iasVisionEncoder.ts';
import { DROPPED_FOLDER_HOST, placement } from './placement.ts';
import type { Critic, CriticFallback, CriticProgress, LoadCriticOptions, TransformersModule } from './types.ts';
import { pinLookup, verifyingCache, verifyingFetch } from './verify.ts';

interface ProgressEvent {
  status: string;
  file?: string;
  loaded?: number;
  total?: number;
}

/**
 * transformers.js progress events as CriticProgress. Its 'done' event carries no sizes: it gets the
 * file's byte count from the progress events before it, so 'done' always says how much arrived.
 */
function forwardProgress(onProgress: ((p: CriticProgress) => void) | undefined) {
  if (!onProgress) return undefined;
  const received = new Map<string, number>();
  return (info: ProgressEvent) => {
    const file = info.file;
    if (!file) return;
    if (info.status === 'progress') received.set(file, Math.max(info.loaded ?? 0, received.get(file) ?? 0));
    if (info.status === 'done') {
      const bytes = info.total || info.loaded || received.get(file) || 0;
      onProgress({ status: 'done', file, loaded: bytes, total: bytes });
      return;
    }
    if (info.status === 'initiate' || info.status === 'download' || info.status === 'progress')
      onProgress({ status: info.status, file, loaded: info.loaded ?? 0, total: info.total ?? 0 });
  };
}

/** The known-good set a half-precision set falls back to: float32 activations throughout. */
const KNOWN_GOOD: CriticBackend = 'webgpu';

const isHalfPrecision = (dtypes: SessionDtypes): boolean =>
  Object.values(dtypes).some((d) => d === 'fp16' || d === 'q4f16');

/**
 * Loads `pack` for `device`. Errors a user can fix (host unreachable and not cached, a missing or
 * corrupt file) reject with a CriticLoadError whose message says what to do. A half-precision set
 * that fails to load (unless the host is unreachable), or whose first decoding step gives NaN/Inf
 * logits, is replaced by the known-good float32 set; the critic's `fallback` then says why.
 */
export async function loadCritic(
  transformers: TransformersModule,
  pack: CriticPack,
  options: LoadCriticOptions,
): Promise<Critic> {
  const backend = options.backend ?? criticBackend(options.device, options.hasShaderF16);
  if (!isHalfPrecision(pack.dtypes[backend])) return loadBackend(transformers, pack, options, backend, null);
  if (options.avoidHalfPrecision)
    return loadBackend(transformers, pack, options, KNOWN_GOOD, {
      from: backend,
      reason: options.avoidHalfPrecision,
      deviceFault: true,
    });
  let fallback: CriticFallback;
  try {
    const critic = await loadBackend(transformers, pack, options, backend, null);
    const problem = await critic.firstStepProblem();
    if (!problem) return critic;
    await critic.dispose();
    fallback = { from: backend, reason: problem, deviceFault: true };
  } catch (err) {
    // Offline, the float32 files cannot come either: the user's error, said as it is.
    if (err instanceof CriticLoadError && err.kind === 'unreachable') throw err;
    const reason = `the half-precision files failed to load (${messageOf(err)})`;
    fallback = { from: backend, reason, deviceFault: !(err instanceof CriticLoadError) };
  }
  return loadBackend(transformers, pack, options, KNOWN_GOOD, fallback);
}

async function loadBackend(
  transformers: TransformersModule,
  pack: CriticPack,
  options: LoadCriticOptions,
  backend: CriticBackend,
  fallback: CriticFallback | null,
): Promise<LoadedCritic> {
  let dtypes = pack.dtypes[backend];
  const place = placement(pack, options);
  const env = transformers.env;
  const pinFor = place.verify ? pinLookup(pack.files) : undefined;
  if (pinFor) {
    place.settings.fetch = verifyingFetch(env.fetch, pinFor, pack.name);
    if (env.useBrowserCache && typeof caches !== 'undefined') {
      place.settings.useCustomCache = true;
      place.settings.customCache = verifyingCache(await caches.open(env.cacheKey), pinFor);
    }
  }
  const progress_callback = forwardProgress(options.onProgress);
  const where = place.where;
  const classify = (err: unknown) => {
    const classified = classifyLoadError(err, pack.name, where);
    if (classified instanceof CriticLoadError && options.fileSource?.type === 'files')
      return new CriticLoadError(
        classified.kind,
        classified.message.replace(`${DROPPED_FOLDER_HOST}${place.modelId}/`, ''),
        { cause: err },
      );
    return classified;
  };

  let files = criticFilesFor(pack, backend);
  let ias: IasVisionFile | null = null;
  if (options.iasvit) {
    // The cache transformers.js would use (or one that lives for this load), read through for the
    // encoder's sources and then wrapped so that it answers the vision-encoder request with the build.
    const inner: InnerCache<unknown> =
      place.settings.useCustomCache && place.settings.customCache
        ? place.settings.customCache
        : env.useBrowserCache && typeof caches !== 'undefined'
          ? await caches.open(env.cacheKey)
          : memoryCache();
    place.settings.useCustomCache = true;
    place.settings.customCache = inner as Env['customCache'];
    const read = place.reader(place.settings, env);
    const reportingRead = async (path: string) => {
      options.onProgress?.({ status: 'initiate', file: path, loaded: 0, total: 0 });
      const bytes = await read(path);
      options.onProgress?.({ status: 'progress', file: path, loaded: bytes.byteLength, total: bytes.byteLength });
      options.onProgress?.({ status: 'done', file: path, loaded: bytes.byteLength, total: bytes.byteLength });
      return bytes;
    };
    try {
      ias = await buildIasVisionFile(pack, dtypes.vision_encoder, reportingRead);
    } catch (err) {
      throw classify(err);
    }
    place.settings.customCache = servingCache(inner, place.modelId, ias) as Env['customCache'];
    dtypes = { ...dtypes, vision_encoder: ias.dtype };
    files = [
      ...files.filter((f) => f !== onnxFile('vision_encoder', pack.dtypes[backend].vision_encoder)),
      ...ias.sources,
    ];
  }

  const { processor, model } = await withEnv(env, place.settings, async () => {
    try {
      const processor = await transformers.AutoProcessor.from_pretrained(place.modelId, {
        revision: place.revision,
        progress_callback,
      });
      const model = await transformers.AutoModelForImageTextToText.from_pretrained(place.modelId, {
        revision: place.revision,
        dtype: dtypes,
        device: options.device,
        ...(options.device === 'webgpu' && options.webgpuDevice
          ? { session_options: { executionProviders: [{ name: 'webgpu', device: options.webgpuDevice }] } }
          : {}),
        progress_callback,
      });
      return { processor, model };
    } catch (err) {
      throw classify(err);
    }
  });
  if (!('vision_encoder' in model.sessions))
    throw new CriticLoadError('corrupt-file', `"${pack.name}" is not an image-text-to-text model (no vision_encoder)`);
  if (ias) {
    // transformers.js passes only `forward_params` keys on to the sessions; the vision session then
    // takes `saliency` by its input name (models/vit/README.md, "Into the critic").
    const params = (model as unknown as { forward_params: string[] }).forward_params;
    if (!params.includes(SALIENCY_INPUT)) params.push(SALIENCY_INPUT);
  }
  return new LoadedCritic(
    transformers,
    pack,
    backend,
    dtypes,
    files,
    ias ? { grid: ias.grid } : null,
    processor,
    model,
    fallback,
  );
}
