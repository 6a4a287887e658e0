/// <reference types="@webgpu/types" />
// IASM worker: loads a pack (files cached in Cache Storage), builds its IASM graph (score +
// LayerCAM saliency in one graph, reading the backbone's weights from the backbone file as external
// data, so only the graph itself is cached beside that file), creates an ONNX Runtime session
// on WebGPU (else WASM, with the reason) and analyses photos. If the GPU device is lost, the
// session is recreated on WASM and the photo finishes there.
import {
  BACKBONE_DATA,
  buildSharedIasmModel,
  createIasmRunner,
  type IasmRunner,
  type RgbaImage,
  type SharedIasmModel,
} from '../models/iasm/runner.ts';
import type { IasmPack } from '../models/packs/iasm.ts';
import { findIasmPack } from '../models/packs/registry.ts';
import { acquireGpuDevice } from './gpu.ts';
import { derivedUrl } from '../models/packs/urls.ts';
import { loadPackFile, ModelFileError, readDerived, writeDerived } from './modelFiles.ts';
import { ort } from './ortWeb.ts';
import type {
  BackendInfo,
  IasmAnalysis,
  IasmLoadResult,
  IasmRequest,
  IasmResponse,
  PackRef,
  Progress,
  WorkerError,
} from './protocol.ts';
import { fileFingerprint } from './fingerprint.ts';
import { serveRequests } from './requestLoop.ts';
import { messageOf } from '../models/common/errors.ts';

declare const self: DedicatedWorkerGlobalScope;

const post = (response: IasmResponse, transfer: Transferable[] = []): void => self.postMessage(response, transfer);

class Cancelled extends Error {}

interface Session {
  pack: IasmPack;
  runner: IasmRunner;
  backend: BackendInfo;
  /** The built model, kept to recreate the session on WASM after a device loss. */
  model: SharedIasmModel;
  device: GPUDevice | null;
  /** Resolves with a reason when the GPU device is lost. */
  lost: Promise<string> | null;
  isLost: boolean;
}

let session: Session | null = null;

serveRequests<IasmRequest>(self, {
  post,
  // Like a driver reset: the device goes away under the sessions (test hook).
  loseDevice: () => session?.device?.destroy(),
  handle,
});

async function handle(request: Exclude<IasmRequest, { type: 'cancel' | 'test-lose-device' }>, signal: AbortSignal) {
  try {
    if (request.type === 'load') {
      const s = await ensureSession(request.id, request.pack, request.forceWasm, signal);
      const result: IasmLoadResult = {
        packId: s.pack.id,
        backend: s.backend,
        inputWidth: s.pack.input.width,
        inputHeight: s.pack.input.height,
      };
      post({ id: request.id, type: 'result', result });
    } else {
      const image = request.image;
      try {
        const result = await analyse(request.id, request.pack, image, request.forceWasm, signal);
        post({ id: request.id, type: 'result', result }, [result.cam.data.buffer, result.saliency.data.buffer]);
      } finally {
        image.close();
      }
    }
  } catch (err) {
    post({ id: request.id, type: 'error', error: toWorkerError(err, signal) });
  }
}

function toWorkerError(err: unknown, signal: AbortSignal): WorkerError {
  if (signal.aborted || err instanceof Cancelled) return { code: 'cancelled', message: 'cancelled' };
  if (err instanceof ModelFileError) return { code: err.code, message: err.message };
  if (err instanceof DeviceLostError) return { code: 'device-lost', message: err.message };
  return { code: 'runtime', message: messageOf(err) };
}

class DeviceLostError extends Error {}

const check = (signal: AbortSignal): void => {
  if (signal.aborted) throw new Cancelled();
};

async function ensureSession(
  id: number,
  ref: PackRef,
  forceWasm: string | undefined,
  signal: AbortSignal,
): Promise<Session> {
  const pack = findIasmPack(ref.id);
  if (!pack) throw new Error(`Unknown IASM pack "${ref.id}"`);
  const wantWasm = forceWasm !== undefined && session?.backend.backend !== 'wasm';
  if (session && session.pack.id === pack.id && !wantWasm && !session.isLost) return session;
  if (session && session.pack.id === pack.id && session.isLost) return recreateOnWasm(id, session, 'GPU device lost');
  if (session) await disposeSession(session);
  session = null;

  const model = await builtModel(pack, ref, signal, {
    onProgress: (progress) => post({ id, type: 'progress', progress }),
    onNotStored: (notice) => post({ id, type: 'notice', notice }),
  });
  check(signal);
  post({ id, type: 'progress', progress: { stage: 'session', file: '', loaded: 0, total: 1 } });
  const created = await createSession(pack, model, forceWasm);
  session = created;
  post({ id, type: 'ready', backend: created.backend });
  return created;
}

/**
 * The pack's IASM graph: from the cache, else built from the pack's files (then cached). It reads
 * the backbone's weights from the backbone file (external data), so only the graph and its own
 * constants are cached beside that file.
 */
async function builtModel(
  pack: IasmPack,
  ref: PackRef,
  signal: AbortSignal,
  { onProgress, onNotStored }: { onProgress(p: Progress): void; onNotStored(message: string): void },
): Promise<SharedIasmModel> {
  const files = (path: string) =>
    loadPackFile({ pack, path, localFiles: ref.localFiles, signal, onProgress, onNotStored });
  // Fetch every file first (with progress), then build.
  const loaded = await Promise.all(pack.files.map(async (f) => [f.path, await files(f.path)] as const));
  check(signal);
  const byPath = new Map(loaded);
  const backbone = byPath.get(pack.backbone);
  if (!backbone) throw new Error(`Pack ${pack.id} does not list its backbone ${pack.backbone}`);
  // The built graph depends on the backbone's exact bytes (it points into them) and on this
  // worker's code (its hashed URL in a build).
  const local = ref.localFiles !== undefined;
  const key = derivedUrl('iasm', pack, `${new URL(import.meta.url).pathname}|${fileFingerprint(backbone)}`);
  const cached = local ? undefined : await readDerived(key);
  if (cached) return { model: cached, externalData: [{ path: BACKBONE_DATA, data: backbone }] };
  onProgress({ stage: 'build', file: pack.backbone, loaded: 0, total: 1 });
  const built = await buildSharedIasmModel(pack, async (path) => byPath.get(path)!);
  onProgress({ stage: 'build', file: pack.backbone, loaded: 1, total: 1 });
  if (!local) await writeDerived(key, built.model, onNotStored);
  return built;
}

async function createSession(pack: IasmPack, model: SharedIasmModel, forceWasm: string | undefined): Promise<Session> {
  let reason = forceWasm;
  if (reason === undefined) {
    const gpu = await acquireGpuDevice();
    if (gpu.device) {
      const device = gpu.device;
      try {
        const runner = await createIasmRunner(ort, model.model, pack, {
          executionProviders: [{ name: 'webgpu', device }],
          externalData: model.externalData,
        });
        const s: Session = {
          pack,
          runner,
          model,
          device,
          backend: { backend: 'webgpu', adapter: gpu.adapter },
          lost: null,
          isLost: false,
        };
        s.lost = device.lost.then((info) => {
          s.isLost = true;
          return info.message || 'GPU device lost';
        });
        return s;
      } catch (err) {
        device.destroy();
        reason = `WebGPU session failed (${messageOf(err)})`;
      }
    } else {
      reason = gpu.reason;
    }
  }
  const runner = await createIasmRunner(ort, model.model, pack, {
    executionProviders: ['wasm'],
    externalData: model.externalData,
  });
  return { pack, runner, model, device: null, backend: { backend: 'wasm', reason }, lost: null, isLost: false };
}

async function disposeSession(s: Session): Promise<void> {
  try {
    await s.runner.dispose();
  } catch {
    // A session on a lost device may fail to release; it is dropped either way.
  }
  s.device?.destroy();
}

async function recreateOnWasm(id: number, lostSession: Session, reason: string): Promise<Session> {
  await disposeSession(lostSession);
  const wasm = await createSession(lostSession.pack, lostSession.model, `${reason}; continued on WASM`);
  session = wasm;
  post({ id, type: 'ready', backend: wasm.backend });
  return wasm;
}

/** Resizes the photo to the model input (whole photo, aspect not kept: see IasmInputSpec.resize). */
function toInputPixels(image: ImageBitmap, width: number, height: number): RgbaImage {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D context on OffscreenCanvas');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, 0, 0, width, height);
  const { data } = ctx.getImageData(0, 0, width, height);
  return { data, width, height };
}

const RUN_SETTLE_MS = 3000;
/** How long a failed GPU run waits for `device.lost` to tell whether the device caused it. */
const LOST_GRACE_MS = 1000;

async function analyse(
  id: number,
  ref: PackRef,
  image: ImageBitmap,
  forceWasm: string | undefined,
  signal: AbortSignal,
): Promise<IasmAnalysis> {
  if (image.width === 0 || image.height === 0) throw new Error('empty image');
  let s = await ensureSession(id, ref, forceWasm, signal);
  check(signal);
  const t0 = performance.now();
  post({ id, type: 'progress', progress: { stage: 'preprocess', file: '', loaded: 0, total: 1 } });
  const pixels = toInputPixels(image, s.pack.input.width, s.pack.input.height);
  const t1 = performance.now();
  check(signal);
  post({ id, type: 'progress', progress: { stage: 'run', file: '', loaded: 0, total: 1 } });
  let out;
  try {
    out = await runWatchingDevice(s, pixels);
  } catch (err) {
    if (err instanceof DeviceLostError) throw err;
    // A run failing because the device went away can reject before `device.lost` resolves.
    if (s.lost && !s.isLost) await Promise.race([s.lost, new Promise((resolve) => setTimeout(resolve, LOST_GRACE_MS))]);
    if (!s.isLost) throw err;
    // The device went away during the run: same pixels, new session on WASM.
    s = await recreateOnWasm(id, s, 'GPU device lost');
    check(signal);
    out = await s.runner.run(pixels);
  }
  const t2 = performance.now();
  return {
    packId: s.pack.id,
    score: out.score,
    classIndex: out.classIndex,
    cam: { data: out.cam, width: out.camWidth, height: out.camHeight },
    saliency: { data: out.saliency, width: out.width, height: out.height },
    backend: s.backend,
    timings: { preprocessMs: t1 - t0, runMs: t2 - t1 },
  };
}

/**
 * Runs the session; if the device is lost meanwhile, gives the run a moment to fail by itself.
 * A run that neither finishes nor fails has wedged the runtime: the worker reports 'device-lost'
 * and the client starts a fresh worker on WASM.
 */
async function runWatchingDevice(s: Session, pixels: RgbaImage) {
  if (s.isLost) throw new Error('GPU device lost');
  const run = s.runner.run(pixels);
  if (!s.lost) return run;
  const lost = s.lost.then(() => 'lost' as const);
  const first = await Promise.race([
    run.then(
      () => 'done' as const,
      () => 'done' as const,
    ),
    lost,
  ]);
  if (first === 'done') return run;
  const settle = new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), RUN_SETTLE_MS));
  const after = await Promise.race([
    run.then(
      () => 'done' as const,
      () => 'done' as const,
    ),
    settle,
  ]);
  if (after === 'stuck') throw new DeviceLostError('GPU device lost during a run');
  return run;
}
