// Loads a critic pack with transformers.js (AutoProcessor + AutoModelForImageTextToText) and writes
// saliency-guided critiques. One loader for every pack: only where the files come from differs
// (the Hub, our origin, a folder on disk in Node, or a user-dropped folder via env.customCache).
// Isomorphic: the caller passes in the transformers.js module (the worker and Node import their own).
import type * as Transformers from '@huggingface/transformers';
import { criticFilesFor, onnxFile, type CriticBackend, type CriticPack, type SessionDtypes } from '../packs/critic.ts';
import { groundingLine, salientCrops, type CropBox, type SaliencyMap } from './crops.ts';
import { SALIENCY_INPUT } from '../vit/iasvit.ts';
import { saliencyFrames, WHOLE_FRAME } from '../vit/pack.ts';
import { classifyLoadError, CriticLoadError } from './errors.ts';
import {
  buildIasVisionFile,
  IasVitInputError,
  memoryCache,
  servingCache,
  type IasVisionFile,
  type InnerCache,
  type PackFileReader,
} from './iasvit.ts';
import { cropRgba, type RgbaImage } from './image.ts';
import { pinLookup, verifyingCache, verifyingFetch } from './verify.ts';

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

export interface LoadCriticOptions {
  device: CriticDevice;
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
  /** Sampling instead of greedy decoding (default false). */
  doSample?: boolean;
  temperature?: number;
  /** Called with each piece of decoded text as it is generated. */
  onToken?: (text: string) => void;
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
  /** The user turn's text (grounded line + prompt). */
  prompt: string;
  promptTokens: number;
  imageTokens: number;
  timings: CritiqueTimings;
}

export interface Critic {
  readonly pack: CriticPack;
  readonly backend: CriticBackend;
  readonly dtypes: SessionDtypes;
  /** The pack files this critic loaded (config + the ONNX files of its dtypes; with IAS-ViT its sources). */
  readonly files: string[];
  /** Whether the vision encoder is the saliency-enhanced IAS-ViT one. */
  readonly iasvit: boolean;
  critique(image: RgbaImage, saliency: SaliencyMap | null, options?: CritiqueOptions): Promise<CritiqueResult>;
  /** Releases the ONNX sessions; the critic cannot be used afterwards. */
  dispose(): Promise<void>;
}

export function criticBackend(device: CriticDevice, hasShaderF16 = false): CriticBackend {
  return device === 'webgpu' ? (hasShaderF16 ? 'webgpu-f16' : 'webgpu') : device;
}

type Env = TransformersModule['env'];
type EnvSettings = Pick<
  Env,
  | 'allowRemoteModels'
  | 'allowLocalModels'
  | 'localModelPath'
  | 'remoteHost'
  | 'remotePathTemplate'
  | 'useCustomCache'
  | 'customCache'
  | 'fetch'
>;

/** Stands in for a host that is never contacted: requests for a dropped folder are answered locally. */
const DROPPED_FOLDER_HOST = 'https://dropped-folder.aeslens.invalid/';

interface Placement {
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

function placement(pack: CriticPack, opts: LoadCriticOptions): Placement {
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

// transformers.js keeps its settings in one global `env`; loads take turns so that one load's
// settings never leak into another's.
let envTurn: Promise<unknown> = Promise.resolve();

async function withEnv<T>(env: Env, settings: Partial<EnvSettings>, run: () => Promise<T>): Promise<T> {
  const previous = envTurn;
  let release!: () => void;
  envTurn = new Promise<void>((r) => (release = r));
  await previous;
  const saved: Partial<EnvSettings> = {};
  for (const key of Object.keys(settings) as (keyof EnvSettings)[]) Object.assign(saved, { [key]: env[key] });
  Object.assign(env, settings);
  try {
    return await run();
  } finally {
    Object.assign(env, saved);
    release();
  }
}

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

type Processor = Awaited<ReturnType<TransformersModule['AutoProcessor']['from_pretrained']>>;
type Model = Awaited<ReturnType<TransformersModule['AutoModelForImageTextToText']['from_pretrained']>>;

/**
 * Loads `pack` for `device`. Errors a user can fix (host unreachable and not cached, a missing or
 * corrupt file) reject with a CriticLoadError whose message says what to do.
 */
export async function loadCritic(
  transformers: TransformersModule,
  pack: CriticPack,
  options: LoadCriticOptions,
): Promise<Critic> {
  const backend = criticBackend(options.device, options.hasShaderF16);
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
  );
}

class LoadedCritic implements Critic {
  private disposed = false;
  private busy = false;

  constructor(
    private readonly transformers: TransformersModule,
    readonly pack: CriticPack,
    readonly backend: CriticBackend,
    readonly dtypes: SessionDtypes,
    readonly files: string[],
    /** The IAS-ViT encoder's saliency grid, when the vision encoder is IAS-ViT. */
    private readonly ias: { grid: [number, number] } | null,
    private readonly processor: Processor,
    private readonly model: Model,
  ) {}

  get iasvit(): boolean {
    return this.ias !== null;
  }

  async critique(
    image: RgbaImage,
    saliency: SaliencyMap | null,
    options: CritiqueOptions = {},
  ): Promise<CritiqueResult> {
    if (this.disposed) throw new Error('This critic has been disposed');
    if (this.busy) throw new Error('The critic is already writing a critique; wait for it or stop it first');
    this.busy = true;
    try {
      return await this.run(image, saliency, options);
    } finally {
      this.busy = false;
    }
  }

  private async run(image: RgbaImage, saliency: SaliencyMap | null, options: CritiqueOptions): Promise<CritiqueResult> {
    const t = this.transformers;
    if (this.ias && !saliency)
      throw new IasVitInputError("The IAS-ViT encoder needs the photo's saliency map; none was given.");
    if (this.ias && options.splitImages)
      throw new IasVitInputError(
        'The IAS-ViT encoder takes one 512² frame per image: image splitting is not supported.',
      );
    const start = performance.now();
    const stopper = new t.InterruptableStoppingCriteria();
    const onAbort = () => stopper.interrupt();
    if (options.signal?.aborted) stopper.interrupt();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const crops =
      options.guidance !== false && saliency
        ? salientCrops(saliency, {
            imageWidth: image.width,
            imageHeight: image.height,
            maxCrops: options.maxCrops ?? 2,
          })
        : [];
    const views = [image, ...crops.map((c) => cropRgba(image, c))].map(
      (v) => new t.RawImage(v.data, v.width, v.height, 4),
    );
    const prompt = [groundingLine(crops), this.pack.prompt].filter(Boolean).join(' ');
    const messages = [
      {
        role: 'user',
        content: [...views.map(() => ({ type: 'image' })), { type: 'text', text: prompt }],
      },
    ];
    const text = this.processor.apply_chat_template(messages, { add_generation_prompt: true }) as string;
    const inputs = await this.processImages(text, views, options.splitImages ?? false);
    // IAS-ViT: the map laid out on each frame's patch grid, frames in image order (photo, then crops).
    const frames = this.ias && saliency ? saliencyFrames(saliency, [WHOLE_FRAME, ...crops], this.ias.grid) : null;
    const saliencyInput = frames ? { [SALIENCY_INPUT]: new t.Tensor('float32', frames.data, frames.dims) } : {};
    const inputIds = inputs.input_ids as Transformers.Tensor;
    const promptTokens = inputIds.dims.at(-1)!;
    const imageTokenId = this.model.config['image_token_id' as keyof typeof this.model.config] as unknown as number;
    const imageTokens = (inputIds.data as BigInt64Array).reduce(
      (n, id) => (Number(id) === imageTokenId ? n + 1 : n),
      0,
    );
    const preprocessed = performance.now();

    const tokenTimes: number[] = [];
    const streamer = new t.TextStreamer(this.processor.tokenizer!, {
      skip_prompt: true,
      skip_special_tokens: true,
      callback_function: (piece: string) => options.onToken?.(piece),
      token_callback_function: () => {
        tokenTimes.push(performance.now());
      },
    });
    // We own the KV cache (passing one keeps transformers.js from returning it) and release it below,
    // so nothing of this photo outlives the call.
    const cache = new t.DynamicCache();
    const maxNewTokens = options.maxNewTokens ?? this.pack.maxNewTokens;
    const eos = this.endOfTurnIds();
    let output: Transformers.Tensor;
    try {
      output = (await this.model.generate({
        ...inputs,
        ...saliencyInput,
        past_key_values: cache,
        max_new_tokens: maxNewTokens,
        eos_token_id: eos,
        do_sample: options.doSample ?? false,
        ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
        streamer,
        stopping_criteria: [stopper],
      })) as Transformers.Tensor;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      await releaseCache(cache);
    }
    const end = performance.now();

    const newIds = output.slice(null, [promptTokens, output.dims.at(-1)!]);
    const decoded = this.processor.batch_decode(newIds, { skip_special_tokens: true })[0] ?? '';
    const tokens = newIds.dims.at(-1)!;
    const lastId = tokens > 0 ? Number((newIds.data as BigInt64Array)[tokens - 1]) : -1;
    const finish = stopper.interrupted ? 'aborted' : eos.includes(lastId) ? 'eos' : 'length';
    const firstTokenAt = tokenTimes[0] ?? 0;
    const decodeMs = firstTokenAt ? end - firstTokenAt : 0;
    const generated = tokenTimes.length;
    return {
      text: decoded.trim(),
      tokens,
      finish,
      crops,
      prompt,
      promptTokens,
      imageTokens,
      timings: {
        preprocessMs: preprocessed - start,
        firstTokenMs: firstTokenAt ? firstTokenAt - preprocessed : end - preprocessed,
        generateMs: end - preprocessed,
        totalMs: end - start,
        tokensPerSecond: generated > 1 && decodeMs > 0 ? ((generated - 1) * 1000) / decodeMs : 0,
        medianTokenMs: medianInterval(tokenTimes),
      },
    };
  }

  /**
   * Token ids that end the assistant's turn: generation_config's eos (which differs between
   * revisions of the SmolVLM repos) plus `<end_of_utterance>`, which the chat template ends turns with.
   */
  private endOfTurnIds(): number[] {
    const configured = (this.model.generation_config as { eos_token_id?: number | number[] } | null)?.eos_token_id;
    const ids = ([] as number[]).concat(configured ?? []);
    const endOfUtterance = this.processor.tokenizer?.convert_tokens_to_ids('<end_of_utterance>');
    if (typeof endOfUtterance === 'number' && !ids.includes(endOfUtterance)) ids.push(endOfUtterance);
    return ids;
  }

  /**
   * Runs the processor. Without splitting every view becomes one 512² frame; the processor would
   * first resize the photo to its `size` (longest edge 2048, meant for tiling), so for that call we
   * resize straight to the frame size instead: same frame, a fraction of the pixel work.
   */
  private async processImages(text: string, views: Transformers.RawImage[], split: boolean) {
    const imageProcessor = this.processor.image_processor as unknown as {
      size: { longest_edge: number };
      max_image_size: { longest_edge: number };
    };
    const size = imageProcessor.size;
    if (!split) imageProcessor.size = { longest_edge: imageProcessor.max_image_size.longest_edge };
    try {
      return await this.processor(text, views, { do_image_splitting: split });
    } finally {
      imageProcessor.size = size;
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.model.dispose();
  }
}

function medianInterval(times: readonly number[]): number {
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  return gaps.length ? gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)]! : 0;
}

/** Disposes GPU-resident cache tensors and drops every entry, leaving the cache empty. */
async function releaseCache(cache: Transformers.DynamicCache): Promise<void> {
  await cache.dispose();
  for (const key of Object.keys(cache)) delete (cache as unknown as Record<string, unknown>)[key];
}
