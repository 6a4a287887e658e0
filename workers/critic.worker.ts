/// <reference types="@webgpu/types" />
// Critic worker: holds one loaded critic (models/critic), streams its critique token by token and
// stops at once on 'cancel'; WebGPU when an adapter exists, else WASM with the reason. A lost GPU
// device is reported as 'device-lost' (workers/gpu.ts): a fresh worker, not this one, goes on.
import {
  CriticLoadError,
  loadCritic,
  type Critic,
  type CriticDevice,
  type CriticProgress,
  type FileSource,
  type LoadCriticOptions,
} from '../models/critic/index.ts';
import { findCriticPack } from '../models/packs/registry.ts';
import {
  acquireGpuDevice,
  bitmapToRgba,
  DeviceLostError,
  watchDevice,
  watchedRun,
  type GpuAcquisition,
  type WatchedDevice,
} from './gpu.ts';
import { halfPrecisionFailure, rememberHalfPrecisionFailure, WASM_DEVICE } from './halfPrecisionMemory.ts';
import { ort } from './ortWeb.ts';
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
import { keepSessionChainsGoing, type SessionClass } from './sessionChains.ts';
import { messageOf } from '../models/common/errors.ts';

declare const self: DedicatedWorkerGlobalScope;

// A failed half-precision session must not keep the float32 fallback from loading (sessionChains.ts).
keepSessionChainsGoing(ort.InferenceSession as unknown as SessionClass);

const post = (response: CriticResponse): void => self.postMessage(response);

interface Loaded {
  packId: string;
  critic: Critic;
  backend: BackendInfo;
  iasvit: boolean;
  gpu: WatchedDevice;
}

let loaded: Loaded | null = null;
/** One device for the worker's lifetime: every critic it loads runs its sessions on it. */
let gpuDevice: Promise<GpuAcquisition> | null = null;

serveRequests<CriticRequest>(self, {
  post,
  // Like a driver reset: the device goes away under the sessions (test hook).
  loseDevice: () => loaded?.gpu.device?.destroy(),
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
    const rgba = bitmapToRgba(request.image);
    const writing = current.critic.critique(rgba, request.saliency, {
      guidance: request.options.guidance,
      ...(request.options.maxNewTokens !== undefined ? { maxNewTokens: request.options.maxNewTokens } : {}),
      doSample: request.options.doSample,
      ...(request.options.facts?.length ? { facts: request.options.facts } : {}),
      signal,
      onToken: (text, tokens) => {
        if (!current.gpu.isLost) post({ id: request.id, type: 'token', text, tokens });
      },
    });
    const critique = await watchedRun(current.gpu, writing, 0);
    const result: Critique = {
      packId: current.packId,
      text: critique.text,
      stopped: critique.finish === 'aborted',
      prompt: critique.prompt,
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
  const known = findCriticPack(ref.id);
  if (!known) throw new Error(`Unknown critic pack "${ref.id}"`);
  const pack = ref.localIasvit ? { ...known, iasvit: ref.localIasvit } : known;
  if (loaded?.gpu.isLost) throw new DeviceLostError(await loaded.gpu.lost);
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
  const load = (device: CriticDevice, options: Partial<LoadCriticOptions> = {}) =>
    loadCritic(transformers, pack, {
      device,
      onProgress,
      iasvit,
      ...options,
      ...(fileSource ? { fileSource } : {}),
    });

  let backend: BackendInfo;
  let critic: Critic;
  let device: GPUDevice | null = null;
  const dtypeSet = ref.dtypeSet;
  if (dtypeSet) {
    critic = await loadRemembering(WASM_DEVICE, pack.id, (avoid) =>
      load('wasm', { backend: dtypeSet, ...(avoid ? { avoidHalfPrecision: avoid } : {}) }),
    );
    backend = { backend: 'wasm', reason: `${dtypeSet} files (test option)` };
    backend.check = { sessionTypes: critic.sessionTypes(), firstStep: (await critic.firstStepProblem()) ?? 'finite' };
  } else {
    const gpu =
      forceWasm === undefined ? await (gpuDevice ??= acquireGpuDevice()) : { device: null, reason: forceWasm };
    if (gpu.device) {
      const webgpuDevice = gpu.device;
      try {
        const hasShaderF16 = webgpuDevice.features.has('shader-f16');
        critic = hasShaderF16
          ? await loadRemembering(gpu.adapter, pack.id, (avoid) =>
              load('webgpu', { hasShaderF16, webgpuDevice, ...(avoid ? { avoidHalfPrecision: avoid } : {}) }),
            )
          : await load('webgpu', { webgpuDevice });
        backend = { backend: 'webgpu', adapter: gpu.adapter };
        device = webgpuDevice;
      } catch (err) {
        if (err instanceof CriticLoadError) throw err;
        critic = await load('wasm');
        backend = { backend: 'wasm', reason: `WebGPU failed (${messageOf(err)})` };
      }
    } else {
      critic = await load('wasm');
      backend = { backend: 'wasm', reason: gpu.reason };
    }
  }
  backend.dtypes = critic.dtypes;
  if (critic.fallback) backend.precision = `float32 files: ${critic.fallback.reason}`;
  if (signal.aborted) {
    await critic.dispose();
    throw new Error('cancelled');
  }
  const current: Loaded = {
    packId: pack.id,
    critic,
    backend,
    iasvit,
    gpu: watchDevice(device),
  };
  loaded = current;
  post({ id, type: 'ready', backend });
  return loaded;
}

/**
 * Loads a critic whose half-precision set may fail on `device` (a GPU adapter, or WASM): a set that
 * failed there before is skipped at once, and a new failure of the device is remembered for this pack.
 */
async function loadRemembering(
  device: string,
  packId: string,
  load: (avoidHalfPrecision?: string) => Promise<Critic>,
): Promise<Critic> {
  const failedBefore = await halfPrecisionFailure(device, packId);
  const critic = await load(failedBefore);
  if (critic.fallback?.deviceFault && !failedBefore)
    await rememberHalfPrecisionFailure(device, packId, critic.fallback.reason);
  return critic;
}
