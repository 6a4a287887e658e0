// AnalysisQueue with the real stores and worker clients, and stand-in workers that answer the
// protocol: photos go through IASM then the critic one at a time per worker; cancel stops the
// photo and the next one runs; a GPU loss in either worker finishes the photo on WASM, its
// critique written once from the start.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CriticRequest, IasmRequest, WorkerResponse } from '../../workers/protocol.ts';

vi.mock('../state/storage.ts', () => ({ refreshStorage: async () => {} }));

type Reply = (response: WorkerResponse<unknown>) => void;
type Script = (request: IasmRequest | CriticRequest, reply: Reply, worker: FakeWorker) => void;

class FakeWorker {
  static scripts: Record<string, Script> = {};
  static all: FakeWorker[] = [];
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror = null;
  onmessageerror = null;
  readonly received: (IasmRequest | CriticRequest)[] = [];
  terminated = false;
  constructor(
    _url: URL,
    readonly options: { name: string },
  ) {
    FakeWorker.all.push(this);
  }
  postMessage(request: IasmRequest | CriticRequest): void {
    this.received.push(request);
    const reply: Reply = (response) =>
      setTimeout(() => {
        if (!this.terminated) this.onmessage?.({ data: response } as MessageEvent);
      }, 1);
    FakeWorker.scripts[this.options.name]!(request, reply, this);
  }
  terminate(): void {
    this.terminated = true;
  }
  /** Workers of one kind, in the order they were started. */
  static of(name: string): FakeWorker[] {
    return FakeWorker.all.filter((w) => w.options.name === name);
  }
}

const bitmap = (): ImageBitmap => ({ width: 8, height: 6, close: () => {} }) as unknown as ImageBitmap;
const backendOf = (req: { forceWasm?: string }) =>
  req.forceWasm ? { backend: 'wasm' as const, reason: req.forceWasm } : { backend: 'webgpu' as const };

/** IASM stand-in: the score is the number of analyse requests this worker has seen. */
const iasmScript =
  (lose?: (req: IasmRequest, worker: FakeWorker) => boolean): Script =>
  (request, reply, worker) => {
    const req = request as IasmRequest;
    if (req.type === 'load')
      reply({
        id: req.id,
        type: 'result',
        result: { packId: req.pack.id, backend: backendOf(req), inputWidth: 4, inputHeight: 4 },
      });
    if (req.type !== 'analyse') return;
    if (lose?.(req, worker)) {
      reply({ id: req.id, type: 'error', error: { code: 'device-lost', message: 'GPU device lost' } });
      return;
    }
    const map = { data: new Float32Array([0.25, 0.75]), width: 2, height: 1 };
    reply({
      id: req.id,
      type: 'result',
      result: {
        packId: req.pack.id,
        score: worker.received.filter((r) => r.type === 'analyse').length,
        classIndex: 0,
        cam: map,
        saliency: map,
        backend: backendOf(req),
        timings: { preprocessMs: 0, runMs: 0 },
      },
    });
  };

/** Critic stand-in: streams "a b" then the text; with `lose`, streams one token and loses the device. */
const criticScript =
  (lose?: (req: CriticRequest, worker: FakeWorker) => boolean): Script =>
  (request, reply, worker) => {
    const req = request as CriticRequest;
    if (req.type === 'load')
      reply({ id: req.id, type: 'result', result: { packId: req.pack.id, backend: backendOf(req), iasvit: false } });
    if (req.type !== 'critique') return;
    if (lose?.(req, worker)) {
      reply({ id: req.id, type: 'token', text: 'lost ', tokens: 1 });
      reply({ id: req.id, type: 'error', error: { code: 'device-lost', message: 'GPU device lost' } });
      return;
    }
    reply({ id: req.id, type: 'token', text: 'a ', tokens: 1 });
    reply({ id: req.id, type: 'token', text: 'b', tokens: 2 });
    reply({
      id: req.id,
      type: 'result',
      result: {
        packId: req.pack.id,
        text: 'a b',
        stopped: false,
        backend: backendOf(req),
        timings: { generateMs: 1, tokens: 2 },
      },
    });
  };

async function start(
  scripts: { iasm: Script; critic: Script },
  files: string[],
  options: { measuring?: boolean; critiqueEvery?: boolean; selected?: string; dwellMs?: number } = {},
) {
  FakeWorker.scripts = scripts;
  const { usePhotos } = await import('../state/photos.ts');
  const { useModels } = await import('../state/models.ts');
  const { useSettings } = await import('../state/settings.ts');
  const { useCritiqueBatch } = await import('../state/critiqueBatch.ts');
  // Most tests follow the critic's plumbing: every photo is critiqued unless a test says otherwise.
  useSettings.getState().set('critiqueEvery', options.critiqueEvery ?? true);
  const { AnalysisQueue } = await import('./queue.ts');
  usePhotos.setState({
    photos: files.map((fileName, i) => ({
      id: `t${i}`,
      fileName,
      fileSize: 1,
      file: new Blob(['x']),
      mimeType: 'image/png',
      status: 'queued',
      width: 8,
      height: 6,
      displayBitmap: bitmap(),
      critique: '',
      critiqueStatus: 'idle',
      timings: {},
    })),
    selectedId: options.selected ?? null,
  });
  useModels.getState().setActive({ iasm: 'fixture-clip', critic: 'fixture-smolvlm', demo: true, origin: 'url' });
  const queue = new AnalysisQueue({
    ...(options.measuring !== undefined ? { measuring: options.measuring } : {}),
    // The open photo's critique waits for it to stay open; short here unless a test times it.
    critiqueDwellMs: options.dwellMs ?? 20,
  });
  const photos = () => usePhotos.getState().photos;
  const settled = () =>
    vi.waitFor(
      () => {
        for (const p of photos()) {
          if (p.status === 'cancelled') continue;
          expect(p.status).toBe('done');
        }
      },
      { timeout: 5000, interval: 5 },
    );
  return { queue, photos, settled, usePhotos, useCritiqueBatch };
}

beforeEach(() => {
  vi.resetModules();
  FakeWorker.all = [];
  const store = new Map<string, string>();
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  });
  vi.stubGlobal('Worker', FakeWorker);
  vi.stubGlobal('createImageBitmap', async () => bitmap());
});

afterEach(() => vi.unstubAllGlobals());

describe('AnalysisQueue', () => {
  it('analyses and critiques every photo, one request at a time per worker', async () => {
    let inFlight = 0;
    let most = 0;
    const iasm = iasmScript();
    const counted: Script = (req, reply, worker) =>
      iasm(
        req,
        (response) => {
          if (req.type === 'analyse' && response.type === 'result') inFlight--;
          reply(response);
        },
        worker,
      );
    const h = await start(
      {
        iasm: (req, reply, worker) => {
          if (req.type === 'analyse') most = Math.max(most, ++inFlight);
          counted(req, reply, worker);
        },
        critic: criticScript(),
      },
      ['a.png', 'b.png', 'c.png'],
    );
    await h.settled();
    expect(h.photos().map((p) => [p.score, p.critique, p.critiqueStatus])).toEqual([
      [1, 'a b', 'done'],
      [2, 'a b', 'done'],
      [3, 'a b', 'done'],
    ]);
    expect(most).toBe(1);
    expect(h.photos()[0]!.packs).toEqual({ iasm: 'fixture-clip', critic: 'fixture-smolvlm' });
  });

  it('by default only the photo open is critiqued; picks asked for are critiqued, and cancel stops the rest', async () => {
    const h = await start({ iasm: iasmScript(), critic: criticScript() }, ['a.png', 'b.png', 'c.png', 'd.png'], {
      critiqueEvery: false,
      selected: 't1',
    });
    await h.settled();
    const critics = () => FakeWorker.of('critic').flatMap((w) => w.received.filter((r) => r.type === 'critique'));
    await vi.waitFor(() => expect(h.photos()[1]!.critiqueStatus).toBe('done'));
    expect(h.photos().map((p) => p.critiqueStatus)).toEqual(['idle', 'done', 'idle', 'idle']);
    expect(critics()).toHaveLength(1);

    h.useCritiqueBatch.getState().start(['t0', 't1', 't2']);
    await vi.waitFor(() => expect(h.photos().map((p) => p.critiqueStatus)).toEqual(['done', 'done', 'done', 'idle']));
    // t1's critique was written already: not again.
    expect(critics()).toHaveLength(3);

    // Opening a photo writes its critique.
    h.usePhotos.getState().select('t3');
    await vi.waitFor(() => expect(h.photos()[3]!.critiqueStatus).toBe('done'));
    expect(critics()).toHaveLength(4);
  });

  it('glancing at photos writes no critique; the photo that stays open gets one', async () => {
    const h = await start({ iasm: iasmScript(), critic: criticScript() }, ['a.png', 'b.png', 'c.png'], {
      critiqueEvery: false,
      dwellMs: 300,
    });
    await h.settled();
    const critics = () => FakeWorker.of('critic').flatMap((w) => w.received.filter((r) => r.type === 'critique'));
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    h.usePhotos.getState().select('t0');
    await pause(100);
    h.usePhotos.getState().select('t1');
    await pause(100);
    h.usePhotos.getState().select('t2');
    expect(h.photos()[2]!.critiqueStatus).toBe('idle');
    await vi.waitFor(() => expect(h.photos()[2]!.critiqueStatus).toBe('done'), { timeout: 2000 });
    expect(h.photos().map((p) => p.critiqueStatus)).toEqual(['idle', 'idle', 'done']);
    expect(critics()).toHaveLength(1);
  });

  it('moving on from a photo before its critique started takes it off the queue', async () => {
    // The critic never answers: the first critique keeps writing while the user moves on.
    const h = await start({ iasm: iasmScript(), critic: () => {} }, ['a.png', 'b.png', 'c.png', 'd.png'], {
      critiqueEvery: false,
      selected: 't0',
    });
    await vi.waitFor(() => expect(h.photos().every((p) => p.saliency)).toBe(true));
    await vi.waitFor(() => expect(h.photos()[0]!.critiqueStatus).toBe('streaming'));
    h.usePhotos.getState().select('t1');
    await vi.waitFor(() => expect(h.photos()[1]!.critiqueStatus).toBe('queued'));
    h.usePhotos.getState().select('t2');
    await vi.waitFor(() =>
      expect(h.photos().map((p) => p.critiqueStatus)).toEqual(['streaming', 'idle', 'queued', 'idle']),
    );
  });

  it('cancelling critiques for picks takes the waiting ones off the queue', async () => {
    const h = await start({ iasm: iasmScript(), critic: () => {} }, ['a.png', 'b.png', 'c.png'], {
      critiqueEvery: false,
    });
    await h.settled();
    h.useCritiqueBatch.getState().start(['t0', 't1', 't2']);
    await vi.waitFor(() => expect(h.photos()[0]!.critiqueStatus).toBe('streaming'));
    h.useCritiqueBatch.getState().cancel();
    expect(h.photos().map((p) => p.critiqueStatus)).toEqual(['stopped', 'idle', 'idle']);
    expect(h.useCritiqueBatch.getState().ids).toEqual([]);
  });

  it('cancel stops the photo being analysed; the next photo is analysed', async () => {
    let analyses = 0;
    const iasm = iasmScript();
    const h = await start(
      {
        // The first photo's run never answers: only a cancel ends it.
        iasm: (req, reply, worker) => {
          if (req.type === 'analyse' && analyses++ === 0) return;
          iasm(req, reply, worker);
        },
        critic: criticScript(),
      },
      ['a.png', 'b.png'],
    );
    // Cancelled while its run is in the worker.
    await vi.waitFor(() => expect(FakeWorker.of('iasm')[0]?.received.map((r) => r.type)).toContain('analyse'), {
      interval: 5,
    });
    h.usePhotos.getState().cancel('t0');
    await h.settled();
    expect(h.photos().map((p) => p.status)).toEqual(['cancelled', 'done']);
    expect(h.photos()[0]!.score).toBeUndefined();
  });

  it('a GPU loss in the IASM worker: the photo is analysed again on WASM with a new bitmap copy', async () => {
    const h = await start(
      {
        iasm: iasmScript((_req, worker) => FakeWorker.of('iasm').indexOf(worker) === 0),
        critic: criticScript(),
      },
      ['a.png'],
    );
    await h.settled();
    const [lost, wasm] = FakeWorker.of('iasm');
    expect(lost!.terminated).toBe(true);
    const resent = wasm!.received.find((r) => r.type === 'analyse');
    expect(resent).toMatchObject({ forceWasm: 'GPU device lost' });
    expect(h.photos()[0]!.backend).toEqual({ backend: 'wasm', reason: 'GPU device lost' });
    expect(h.photos()[0]!.critique).toBe('a b');
  });

  it('a GPU loss in the critic mid-critique: written again on WASM from the start, once', async () => {
    const h = await start(
      {
        iasm: iasmScript(),
        critic: criticScript((_req, worker) => FakeWorker.of('critic').indexOf(worker) === 0),
      },
      ['a.png'],
    );
    const shown: string[] = [];
    h.usePhotos.subscribe((s) => shown.push(s.photos[0]!.critique));
    await h.settled();
    const p = h.photos()[0]!;
    // The text streamed before the loss is dropped, not prefixed to the new critique.
    expect(shown).toContain('lost ');
    expect(shown.filter((t) => t.startsWith('lost ') && t !== 'lost ')).toEqual([]);
    expect(p.critique).toBe('a b');
    expect(p.criticBackend).toEqual({ backend: 'wasm', reason: 'GPU device lost' });
    expect(FakeWorker.of('critic')).toHaveLength(2);
    expect(FakeWorker.of('critic')[1]!.received.filter((r) => r.type === 'critique')).toHaveLength(1);
  });

  it('with a measuring queue, a grounded critique waits for the facts measured with the heatmap and carries them', async () => {
    const { measureAttributes, groundingFacts } = await import('../../models/attributes/index.ts');
    const h = await start({ iasm: iasmScript(), critic: criticScript() }, ['a.png'], { measuring: true });
    await vi.waitFor(() => expect(h.photos()[0]!.saliency).toBeDefined(), { timeout: 5000, interval: 5 });
    // The full-resolution pass has not reported yet: no critique is asked for.
    await new Promise((r) => setTimeout(r, 50));
    expect(
      FakeWorker.of('critic')
        .flatMap((w) => w.received)
        .filter((r) => r.type === 'critique'),
    ).toEqual([]);
    const grey = { data: new Uint8Array(4 * 4 * 4).fill(128), width: 4, height: 4 };
    const map = { data: new Float32Array([0.25, 0.75]), width: 2, height: 1 };
    const attributes = measureAttributes(grey, map);
    const measurement = {
      attributes,
      withSaliency: true,
      clipMask: { data: new Uint8Array(1), width: 1, height: 1 },
      width: 4,
      height: 4,
      timings: { decodeMs: 0, measureMs: 0 },
    };
    h.usePhotos.getState().update('t0', { measurement });
    await h.settled();
    const asked = FakeWorker.of('critic')
      .flatMap((w) => w.received)
      .find((r) => r.type === 'critique');
    expect(asked).toMatchObject({ options: { facts: groundingFacts(attributes) } });
    expect((asked as { options: { facts: string[] } }).options.facts.length).toBeGreaterThanOrEqual(3);
  });
});
