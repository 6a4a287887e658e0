/// <reference types="@webgpu/types" />
// Critic worker: holds one loaded critic (transformers.js VLM via models/critic), streams its
// critique token by token, and stops generation at once on 'cancel' (Stop). Regenerate is just a
// new 'critique' request. WebGPU when an adapter exists, else WASM with the reason.
import * as ort from 'onnxruntime-web/webgpu';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { loadCritic, type Critic, type CriticDevice, type FileSource } from '../models/critic/critic.ts';
import { findCriticPack } from '../models/packs/registry.ts';
import type {
  BackendInfo,
  CriticLoadResult,
  CriticRequest,
  CriticResponse,
  Critique,
  PackRef,
  WorkerError,
} from './protocol.ts';

// Our origin's ORT wasm (transformers.js would otherwise point ORT at a CDN); one thread.
ort.env.wasm.wasmPaths = { wasm: wasmUrl };
ort.env.wasm.numThreads = 1;

declare const self: DedicatedWorkerGlobalScope;

const post = (response: CriticResponse): void => self.postMessage(response);

interface Loaded {
  packId: string;
  critic: Critic;
  backend: BackendInfo;
  iasvit: boolean;
}

let loaded: Loaded | null = null;
const controllers = new Map<number, AbortController>();
const started = new Set<number>();
let chain: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<CriticRequest>) => {
  const request = event.data;
  if (request.type === 'cancel') {
    const controller = controllers.get(request.target);
    if (!controller) return;
    controller.abort();
    // Still waiting for its turn (e.g. behind a model download): it ends now.
    if (!started.has(request.target))
      post({ id: request.target, type: 'error', error: { code: 'cancelled', message: 'cancelled' } });
    return;
  }
  const controller = new AbortController();
  controllers.set(request.id, controller);
  chain = chain
    .then(() => {
      if (controller.signal.aborted) return;
      started.add(request.id);
      return handle(request, controller.signal);
    })
    .finally(() => {
      controllers.delete(request.id);
      started.delete(request.id);
    });
};

async function handle(request: Exclude<CriticRequest, { type: 'cancel' }>, signal: AbortSignal): Promise<void> {
  const image = request.type === 'critique' ? request.image : null;
  try {
    const iasvit = (request.type === 'load' ? request.iasvit : request.options.iasvit) ?? false;
    const current = await ensureLoaded(request.id, request.pack, request.forceWasm, signal, iasvit);
    if (request.type === 'load') {
      const result: CriticLoadResult = { packId: current.packId, backend: current.backend, iasvit: current.iasvit };
      post({ id: request.id, type: 'result', result });
      return;
    }
    const rgba = toRgba(request.image);
    const critique = await current.critic.critique(rgba, request.saliency, {
      guidance: request.options.guidance,
      ...(request.options.maxNewTokens !== undefined ? { maxNewTokens: request.options.maxNewTokens } : {}),
      doSample: request.options.doSample,
      signal,
      onToken: (text) => post({ id: request.id, type: 'token', text }),
    });
    const result: Critique = {
      packId: current.packId,
      text: critique.text,
      stopped: critique.finish === 'aborted',
      backend: current.backend,
      timings: { generateMs: critique.timings.totalMs, tokens: critique.tokens },
    };
    post({ id: request.id, type: 'result', result });
  } catch (err) {
    post({ id: request.id, type: 'error', error: toWorkerError(err, signal) });
  } finally {
    image?.close();
  }
}

function toWorkerError(err: unknown, signal: AbortSignal): WorkerError {
  if (signal.aborted) return { code: 'cancelled', message: 'cancelled' };
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof Error && err.name === 'CriticLoadError') {
    const kind = (err as Error & { kind?: string }).kind;
    return { code: kind === 'unreachable' ? 'network' : 'bad-model', message };
  }
  return { code: 'runtime', message };
}

async function ensureLoaded(
  id: number,
  ref: PackRef,
  forceWasm: string | undefined,
  signal: AbortSignal,
  iasvit: boolean,
): Promise<Loaded> {
  const pack = findCriticPack(ref.id);
  if (!pack) throw new Error(`Unknown critic pack "${ref.id}"`);
  if (
    loaded &&
    loaded.packId === pack.id &&
    loaded.iasvit === iasvit &&
    (forceWasm === undefined || loaded.backend.backend === 'wasm')
  )
    return loaded;
  if (loaded) await loaded.critic.dispose();
  loaded = null;

  const transformers = await import('@huggingface/transformers');
  const fileSource: FileSource | undefined = ref.localFiles
    ? { type: 'files', files: new Map(Object.entries(ref.localFiles)), label: 'the loaded model folder' }
    : undefined;
  const onProgress = (p: { status: string; file: string; loaded: number; total: number }): void => {
    if (p.status === 'progress' || p.status === 'done') {
      const total = p.total || p.loaded;
      post({
        id,
        type: 'progress',
        progress: { stage: 'download', file: p.file, loaded: p.status === 'done' ? total : p.loaded, total },
      });
    }
  };
  const load = (device: CriticDevice, hasShaderF16: boolean) =>
    loadCritic(transformers, pack, { device, hasShaderF16, onProgress, iasvit, ...(fileSource ? { fileSource } : {}) });

  let backend: BackendInfo;
  let critic: Critic;
  const gpu = forceWasm === undefined ? await gpuAdapter() : { adapter: null, reason: forceWasm };
  if (gpu.adapter) {
    try {
      critic = await load('webgpu', gpu.adapter.features.has('shader-f16'));
      backend = { backend: 'webgpu', adapter: gpu.name };
    } catch (err) {
      if (err instanceof Error && err.name === 'CriticLoadError') throw err;
      critic = await load('wasm', false);
      backend = { backend: 'wasm', reason: `WebGPU failed (${err instanceof Error ? err.message : String(err)})` };
    }
  } else {
    critic = await load('wasm', false);
    backend = { backend: 'wasm', reason: gpu.reason };
  }
  if (signal.aborted) {
    await critic.dispose();
    throw new Error('cancelled');
  }
  loaded = { packId: pack.id, critic, backend, iasvit };
  post({ id, type: 'ready', backend });
  return loaded;
}

async function gpuAdapter(): Promise<{ adapter: GPUAdapter; name: string } | { adapter: null; reason: string }> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { adapter: null, reason: 'this browser has no WebGPU' };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) return { adapter: null, reason: 'no WebGPU adapter' };
  const name = [adapter.info.vendor, adapter.info.architecture].filter(Boolean).join(' ') || 'WebGPU adapter';
  return { adapter, name };
}

/** RGBA pixels of the photo for the critic's processor (which resizes to its own input size). */
function toRgba(image: ImageBitmap): { data: Uint8ClampedArray; width: number; height: number } {
  const canvas = new OffscreenCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D context on OffscreenCanvas');
  ctx.drawImage(image, 0, 0);
  return { data: ctx.getImageData(0, 0, image.width, image.height).data, width: image.width, height: image.height };
}
