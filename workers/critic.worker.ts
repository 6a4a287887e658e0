/// <reference types="@webgpu/types" />
// Critic worker: holds one loaded critic (transformers.js VLM via models/critic), streams its
// critique token by token, and stops generation at once on 'cancel' (Stop). Regenerate is just a
// new 'critique' request. WebGPU when an adapter exists, else WASM with the reason. If the GPU
// device is lost, the request fails with 'device-lost': transformers.js chains every session run
// of the worker, so a run wedged on the lost device would hold up a WASM critic loaded beside it;
// the client starts a fresh worker on WASM instead and the critique is written again there.
import {
  CriticLoadError,
  loadCritic,
  type Critic,
  type CriticDevice,
  type CriticProgress,
  type FileSource,
} from '../models/critic/index.ts';
import { findCriticPack } from '../models/packs/registry.ts';
import { acquireGpuDevice, type GpuAcquisition } from './gpu.ts';
import { halfPrecisionFailure, rememberHalfPrecisionFailure } from './halfPrecisionMemory.ts';
import './ortWeb.ts';
import type {
  BackendInfo,
  CriticLoadResult,
  CriticRequest,
  CriticResponse,
  Critique,
  PackRef,
  WorkerError,
} from './protocol.ts';
import { serveRequests } from './requestLoop.ts';
import { messageOf } from '../models/common/errors.ts';

declare const self: DedicatedWorkerGlobalScope;

const post = (response: CriticResponse): void => self.postMessage(response);

interface Loaded {
  packId: string;
  critic: Critic;
  backend: BackendInfo;
  iasvit: boolean;
  device: GPUDevice | null;
  /** Resolves with the reason when the GPU device is lost (never, on WASM). */
  lost: Promise<string>;
  isLost: boolean;
}

class DeviceLostError extends Error {}

let loaded: Loaded | null = null;
/** One device for the worker's lifetime: every critic it loads runs its sessions on it. */
let gpuDevice: Promise<GpuAcquisition> | null = null;

serveRequests<CriticRequest>(self, {
  post,
  // Like a driver reset: the device goes away under the sessions (test hook).
  loseDevice: () => loaded?.device?.destroy(),
  handle,
});

async function handle(
  request: Exclude<CriticRequest, { type: 'cancel' | 'test-lose-device' }>,
  signal: AbortSignal,
): Promise<void> {
  const image = request.type === 'critique' ? request.image : null;
  try {
    const iasvit = (request.type === 'load' ? request.iasvit : request.options.iasvit) ?? false;
    const current = await ensureLoaded(request.id, request.pack, request.forceWasm, signal, iasvit);
    if (request.type === 'load') {
      const result: CriticLoadResult = { packId: current.packId, backend: current.backend, iasvit: current.iasvit };
      post({ id: request.id, type: 'result', result });
      return;
    }
    if (current.isLost) throw new DeviceLostError('GPU device lost');
    const rgba = toRgba(request.image);
    const writing = current.critic.critique(rgba, request.saliency, {
      guidance: request.options.guidance,
      ...(request.options.maxNewTokens !== undefined ? { maxNewTokens: request.options.maxNewTokens } : {}),
      doSample: request.options.doSample,
      signal,
      onToken: (text) => {
        if (!current.isLost) post({ id: request.id, type: 'token', text });
      },
    });
    const critique = await watchDevice(current, writing);
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

/** A run that fails, or does not end, because the device went away becomes a DeviceLostError. */
async function watchDevice<T>(current: Loaded, run: Promise<T>): Promise<T> {
  const lost = current.lost.then((reason) => {
    throw new DeviceLostError(reason);
  });
  // A loss after the run has ended is handled by the next request, not here.
  lost.catch(() => {});
  try {
    return await Promise.race([run, lost]);
  } catch (err) {
    // A run failing because the device went away can reject before `device.lost` resolves.
    if (current.device && !current.isLost)
      await Promise.race([current.lost, new Promise((resolve) => setTimeout(resolve, LOST_GRACE_MS))]);
    if (current.isLost && !(err instanceof DeviceLostError)) throw new DeviceLostError('GPU device lost during a run');
    throw err;
  }
}

/** How long a failed GPU run waits for `device.lost` to tell whether the device caused it. */
const LOST_GRACE_MS = 1000;

function toWorkerError(err: unknown, signal: AbortSignal): WorkerError {
  if (err instanceof DeviceLostError) return { code: 'device-lost', message: err.message };
  if (signal.aborted) return { code: 'cancelled', message: 'cancelled' };
  const message = messageOf(err);
  if (err instanceof CriticLoadError) {
    return { code: err.kind === 'unreachable' ? 'network' : 'bad-model', message };
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
  if (loaded?.isLost) throw new DeviceLostError('GPU device lost');
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
  // models/critic reports the bytes of a finished file in its 'done' event.
  const onProgress = (p: CriticProgress): void => {
    if (p.status === 'progress' || p.status === 'done')
      post({ id, type: 'progress', progress: { stage: 'download', file: p.file, loaded: p.loaded, total: p.total } });
  };
  const load = (device: CriticDevice, hasShaderF16 = false, webgpuDevice?: GPUDevice, avoidHalfPrecision?: string) =>
    loadCritic(transformers, pack, {
      device,
      hasShaderF16,
      onProgress,
      iasvit,
      ...(avoidHalfPrecision ? { avoidHalfPrecision } : {}),
      ...(webgpuDevice ? { webgpuDevice } : {}),
      ...(fileSource ? { fileSource } : {}),
    });

  let backend: BackendInfo;
  let critic: Critic;
  let device: GPUDevice | null = null;
  const gpu = forceWasm === undefined ? await (gpuDevice ??= acquireGpuDevice()) : { device: null, reason: forceWasm };
  if (gpu.device) {
    try {
      const hasShaderF16 = gpu.device.features.has('shader-f16');
      const failedBefore = hasShaderF16 ? await halfPrecisionFailure(gpu.adapter, pack.id) : undefined;
      critic = await load('webgpu', hasShaderF16, gpu.device, failedBefore);
      backend = { backend: 'webgpu', adapter: gpu.adapter };
      if (critic.fallback) {
        backend.precision = `float32 files: ${critic.fallback.reason}`;
        if (!failedBefore) await rememberHalfPrecisionFailure(gpu.adapter, pack.id, critic.fallback.reason);
      }
      device = gpu.device;
    } catch (err) {
      if (err instanceof CriticLoadError) throw err;
      critic = await load('wasm');
      backend = { backend: 'wasm', reason: `WebGPU failed (${messageOf(err)})` };
    }
  } else {
    critic = await load('wasm');
    backend = { backend: 'wasm', reason: gpu.reason };
  }
  if (signal.aborted) {
    await critic.dispose();
    throw new Error('cancelled');
  }
  const current: Loaded = {
    packId: pack.id,
    critic,
    backend,
    iasvit,
    device,
    lost: new Promise(() => {}),
    isLost: false,
  };
  if (device) {
    current.lost = device.lost.then((info) => {
      current.isLost = true;
      return info.message ? `GPU device lost (${info.message})` : 'GPU device lost';
    });
  }
  loaded = current;
  post({ id, type: 'ready', backend });
  return loaded;
}

/** RGBA pixels of the photo for the critic's processor (which resizes to its own input size). */
function toRgba(image: ImageBitmap): { data: Uint8ClampedArray; width: number; height: number } {
  const canvas = new OffscreenCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D context on OffscreenCanvas');
  ctx.drawImage(image, 0, 0);
  return { data: ctx.getImageData(0, 0, image.width, image.height).data, width: image.width, height: image.height };
}
