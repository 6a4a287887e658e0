/// <reference types="@webgpu/types" />
// IASM worker: loads a pack, builds and caches its IASM graph (score + LayerCAM saliency, the
// backbone's weights read as external data), runs it on WebGPU (else WASM, with the reason) and
// analyses photos. A lost GPU device is reported as 'device-lost' (workers/gpu.ts).
import {
  BACKBONE_DATA,
  buildSharedIasmModel,
  createIasmRunner,
  type IasmRunner,
  type SharedIasmModel,
} from '../models/iasm/runner.ts';
import { preprocessPhoto } from '../models/iasm/preprocess.ts';
import type { IasmPack } from '../models/packs/iasm.ts';
import { findIasmPack } from '../models/packs/registry.ts';
import { acquireGpuDevice, bitmapToRgba, DeviceLostError, watchDevice, watchedRun, type WatchedDevice } from './gpu.ts';
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
import { createSessionScorer, scoreCrops } from './cropScoring.ts';
import type { ScoreRunner } from '../models/iasm/scoreRunner.ts';
import { messageOf } from '../models/common/errors.ts';

declare const self: DedicatedWorkerGlobalScope;

const post = (response: IasmResponse, transfer: Transferable[] = []): void => self.postMessage(response, transfer);

class Cancelled extends Error {}

interface Session {
  pack: IasmPack;
  model: SharedIasmModel;
  runner: IasmRunner;
  backend: BackendInfo;
  gpu: WatchedDevice;
  /** The forward-only score graph's runner, created on the first crops request. */
  scorer?: Promise<ScoreRunner>;
}

let session: Session | null = null;

serveRequests<IasmRequest>(self, {
  post,
  // Like a driver reset: the device goes away under the sessions (test hook).
  loseDevice: () => session?.gpu.device?.destroy(),
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
    } else if (request.type === 'crops') {
      try {
        const s = await ensureSession(request.id, request.pack, request.forceWasm, signal);
        check(signal);
        s.scorer ??= createSessionScorer(s);
        const result = await scoreCrops(s, await s.scorer, request, () => check(signal));
        post({ id: request.id, type: 'result', result });
      } finally {
        request.image.close();
      }
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
  if (session?.gpu.isLost) throw new DeviceLostError(await session.gpu.lost);
  if (session && session.pack.id === pack.id && !wantWasm) return session;
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
        return {
          pack,
          model,
          runner,
          backend: { backend: 'webgpu', adapter: gpu.adapter },
          gpu: watchDevice(device),
        };
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
  return { pack, model, runner, backend: { backend: 'wasm', reason }, gpu: watchDevice(null) };
}

async function disposeSession(s: Session): Promise<void> {
  try {
    await s.runner.dispose();
    await (await s.scorer)?.dispose();
  } catch {
    // A session on a lost device may fail to release; it is dropped either way.
  }
  s.gpu.device?.destroy();
}

/** How long a run on a lost device may take to end by itself before the worker reports 'device-lost'. */
const RUN_SETTLE_MS = 3000;

async function analyse(
  id: number,
  ref: PackRef,
  image: ImageBitmap,
  forceWasm: string | undefined,
  signal: AbortSignal,
): Promise<IasmAnalysis> {
  if (image.width === 0 || image.height === 0) throw new Error('empty image');
  const s = await ensureSession(id, ref, forceWasm, signal);
  check(signal);
  const t0 = performance.now();
  post({ id, type: 'progress', progress: { stage: 'preprocess', file: '', loaded: 0, total: 1 } });
  const inputs = preprocessPhoto(bitmapToRgba(image), s.pack.input);
  const t1 = performance.now();
  check(signal);
  post({ id, type: 'progress', progress: { stage: 'run', file: '', loaded: 0, total: 1 } });
  const out = await watchedRun(s.gpu, s.runner.runInputs(inputs), RUN_SETTLE_MS);
  const t2 = performance.now();
  return {
    packId: s.pack.id,
    score: out.score,
    classIndex: out.classIndex,
    ...(out.embedding ? { embedding: out.embedding } : {}),
    cam: { data: out.cam, width: out.camWidth, height: out.camHeight },
    saliency: { data: out.saliency, width: out.width, height: out.height },
    backend: s.backend,
    timings: { preprocessMs: t1 - t0, runMs: t2 - t1 },
  };
}
