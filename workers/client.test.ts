// WorkerClient against a scripted stand-in for a Worker: results, progress, hard cancel (the
// worker is terminated and replaced), device-loss restart on WASM, idle termination.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkerClient, WorkerRequestError } from './client.ts';
import type { IasmRequest, IasmResponse, IasmResults } from './protocol.ts';

type Reply = (response: IasmResponse) => void;

/** A Worker whose replies are written by the test. */
class ScriptedWorker {
  static all: ScriptedWorker[] = [];
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  readonly received: IasmRequest[] = [];
  terminated = false;
  constructor(private readonly script: (request: IasmRequest, reply: Reply, worker: ScriptedWorker) => void) {
    ScriptedWorker.all.push(this);
  }
  postMessage(request: IasmRequest): void {
    this.received.push(request);
    this.script(
      request,
      (response) => queueMicrotask(() => this.onmessage?.({ data: response } as MessageEvent)),
      this,
    );
  }
  terminate(): void {
    this.terminated = true;
  }
}

const client = (script: ConstructorParameters<typeof ScriptedWorker>[0], options = {}) =>
  new WorkerClient<IasmRequest, IasmResults>(() => new ScriptedWorker(script) as unknown as Worker, {
    idleMs: 0,
    cancelGraceMs: 0,
    ...options,
  });

const pack = { id: 'fixture-clip' };
const loadResult = (forceWasm?: string) => ({
  packId: 'fixture-clip',
  backend: forceWasm ? { backend: 'wasm' as const, reason: forceWasm } : { backend: 'webgpu' as const },
  inputWidth: 64,
  inputHeight: 64,
});

afterEach(() => {
  ScriptedWorker.all = [];
  vi.useRealTimers();
});

describe('WorkerClient', () => {
  it('passes notices to the client-wide handler and still resolves the request', async () => {
    const notices: string[] = [];
    const c = client(
      (req, reply) => {
        if (req.type !== 'load') return;
        reply({ id: req.id, type: 'notice', notice: 'Models could not be stored for offline use' });
        reply({ id: req.id, type: 'result', result: loadResult() });
      },
      { onNotice: (n: string) => notices.push(n) },
    );
    await expect(c.request('load', { pack })).resolves.toEqual(loadResult());
    expect(notices).toEqual(['Models could not be stored for offline use']);
  });

  it('resolves with the result and forwards progress and ready for its own request only', async () => {
    const c = client((req, reply) => {
      if (req.type !== 'load') return;
      reply({ id: req.id + 100, type: 'progress', progress: { stage: 'download', file: 'x', loaded: 9, total: 9 } });
      reply({ id: req.id, type: 'progress', progress: { stage: 'download', file: 'a.onnx', loaded: 5, total: 10 } });
      reply({ id: req.id, type: 'ready', backend: { backend: 'webgpu' } });
      reply({ id: req.id, type: 'result', result: loadResult() });
    });
    const progress: number[] = [];
    const ready: string[] = [];
    const result = await c.request(
      'load',
      { pack },
      { onProgress: (p) => progress.push(p.loaded), onReady: (b) => ready.push(b.backend) },
    );
    expect(result).toEqual(loadResult());
    expect(progress).toEqual([5]);
    expect(ready).toEqual(['webgpu']);
  });

  it('rejects with the worker error code and message', async () => {
    const c = client((req, reply) =>
      reply({ id: req.id, type: 'error', error: { code: 'network', message: 'offline' } }),
    );
    await expect(c.request('load', { pack })).rejects.toMatchObject({ code: 'network', message: 'offline' });
  });

  it('abort with no grace terminates the busy worker; the next request gets a new worker', async () => {
    const c = client((req, reply) => {
      // The first worker never answers 'load' (a run that cannot be interrupted); later ones do.
      if (req.type === 'load' && ScriptedWorker.all.length > 1)
        reply({ id: req.id, type: 'result', result: loadResult() });
    });
    const controller = new AbortController();
    const pending = c.request('load', { pack }, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    expect(ScriptedWorker.all[0]!.received.map((r) => r.type)).toEqual(['load', 'cancel']);
    expect(ScriptedWorker.all[0]!.terminated).toBe(true);
    await expect(c.request('load', { pack })).resolves.toEqual(loadResult());
    expect(ScriptedWorker.all).toHaveLength(2);
  });

  it('abort with a grace period lets an interruptible worker end the request itself', async () => {
    const c = client(
      (req, reply) => {
        if (req.type === 'cancel')
          reply({ id: req.target, type: 'error', error: { code: 'cancelled', message: 'stopped' } });
      },
      { cancelGraceMs: 5000 },
    );
    const controller = new AbortController();
    const pending = c.request('load', { pack }, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled', message: 'stopped' });
    expect(ScriptedWorker.all[0]!.terminated).toBe(false);
  });

  it('on device-lost: restarts the worker on WASM, resends requests without transfers, fails those with', async () => {
    const c = client((req, reply, worker) => {
      if (ScriptedWorker.all.indexOf(worker) === 0) {
        if (req.type === 'analyse')
          reply({ id: req.id, type: 'error', error: { code: 'device-lost', message: 'GPU device lost' } });
        return;
      }
      if (req.type === 'load') reply({ id: req.id, type: 'result', result: loadResult(req.forceWasm) });
    });
    const load = c.request('load', { pack });
    const image = {} as ImageBitmap;
    const analyse = c.request('analyse', { pack, image }, { transfer: [image as unknown as Transferable] });
    await expect(analyse).rejects.toBeInstanceOf(WorkerRequestError);
    await expect(analyse).rejects.toMatchObject({ code: 'device-lost' });
    await expect(load).resolves.toEqual(loadResult('GPU device lost'));
    expect(ScriptedWorker.all[0]!.terminated).toBe(true);
    expect(c.wasmReason).toBe('GPU device lost');
    // Later requests go to WASM from the start.
    await expect(c.request('load', { pack })).resolves.toEqual(loadResult('GPU device lost'));
  });

  it('on device-lost: a request with transfers and a rebuild is built again and sent to the WASM worker', async () => {
    const analysis = (reason: string) =>
      ({
        packId: 'fixture-clip',
        score: 1,
        classIndex: 0,
        cam: { data: new Float32Array(1), width: 1, height: 1 },
        saliency: { data: new Float32Array(1), width: 1, height: 1 },
        backend: { backend: 'wasm', reason },
        timings: { preprocessMs: 0, runMs: 0 },
      }) as const;
    const c = client((req, reply, worker) => {
      if (req.type !== 'analyse') return;
      if (ScriptedWorker.all.indexOf(worker) === 0)
        reply({ id: req.id, type: 'error', error: { code: 'device-lost', message: 'GPU device lost' } });
      else reply({ id: req.id, type: 'result', result: analysis(req.forceWasm!) });
    });
    const first = { name: 'first copy' } as unknown as ImageBitmap;
    const second = { name: 'second copy' } as unknown as ImageBitmap;
    let rebuilt = 0;
    const analyse = c.request(
      'analyse',
      { pack, image: first },
      {
        transfer: [first as unknown as Transferable],
        rebuild: async () => {
          rebuilt++;
          return { body: { pack, image: second }, transfer: [second as unknown as Transferable] };
        },
      },
    );
    await expect(analyse).resolves.toEqual(analysis('GPU device lost'));
    expect(rebuilt).toBe(1);
    const resent = ScriptedWorker.all[1]!.received;
    expect(resent).toHaveLength(1);
    expect(resent[0]).toMatchObject({ type: 'analyse', image: second, forceWasm: 'GPU device lost' });
    expect(resent[0]!.id).toBe(ScriptedWorker.all[0]!.received[0]!.id);
  });

  it('a second device-lost after the restart fails the request', async () => {
    const c = client((req, reply) => {
      if (req.type === 'analyse')
        reply({ id: req.id, type: 'error', error: { code: 'device-lost', message: 'GPU device lost' } });
    });
    const image = {} as ImageBitmap;
    const analyse = c.request(
      'analyse',
      { pack, image },
      {
        transfer: [image as unknown as Transferable],
        rebuild: async () => ({ body: { pack, image }, transfer: [image as unknown as Transferable] }),
      },
    );
    await expect(analyse).rejects.toMatchObject({ code: 'device-lost' });
    expect(ScriptedWorker.all).toHaveLength(2);
  });

  it('terminates an idle worker after idleMs', async () => {
    vi.useFakeTimers();
    const c = client((req, reply) => reply({ id: req.id, type: 'result', result: loadResult() }), { idleMs: 1000 });
    const pending = c.request('load', { pack });
    await vi.runAllTicks();
    await pending;
    expect(ScriptedWorker.all[0]!.terminated).toBe(false);
    vi.advanceTimersByTime(1001);
    expect(ScriptedWorker.all[0]!.terminated).toBe(true);
  });
});
