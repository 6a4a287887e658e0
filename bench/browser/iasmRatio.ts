// (forward + LayerCAM) / forward in Chromium through onnxruntime-web, WASM and WebGPU, for the
// fixture IASM packs (fixture-clip-q8: the real 8-bit export's form), and the number of nodes of each
// built graph without a WebGPU kernel (they would run on the CPU inside a WebGPU session). The graphs are built here in Node exactly as bench/iasm.bench.ts does (the forward graph
// is the source model itself); a bench page on the preview's origin, served by request routing,
// loads the same ORT entry and wasm the app's worker uses and times both sessions, interleaved.
// The ratio is the median over pairs of back-to-back samples (forward, then IASM) of their ratio:
// load on a shared machine changes over seconds, and a pair sees the same load; the fastest
// samples and the medians are in the note.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { readRgba } from '../../models/common/readRgba.node.ts';
import { FIXTURES } from '../../models/fixtures/index.ts';
import { buildIasmGraph } from '../../models/iasm/build.ts';
import { rgbaToNchw } from '../../models/iasm/preprocess.ts';
import { iasmOptionsForPack } from '../../models/iasm/runner.ts';
import { decodeModel, encodeModel } from '../../models/onnx/index.ts';
import { webGpuFallbackNodes } from '../../models/onnx/webgpuKernels.ts';
import { findIasmPack } from '../../models/packs/registry.ts';
import type { BenchResult } from '../types.ts';
import { ROOT } from './preview.ts';

const PACKS = ['fixture-clip', 'fixture-cnn', 'fixture-clip-q8'];
const BACKENDS = ['wasm', 'webgpu'] as const;
/** SwiftShader's WebGPU is ~1000× slower than WASM: fewer samples there. */
const RUNS_BY_BACKEND = { wasm: 40, webgpu: 3 };
const PHOTO = join(ROOT, '../shared/photos/good/coffee.png');
const ORT_DIST = join(ROOT, 'node_modules/onnxruntime-web/dist');
const WARMUP = 5;
/**
 * Each timed sample repeats the run for about this long: one fixture run (~0.1–2 ms) is near the
 * page's coarsened timer resolution and drowns in scheduling noise on a busy machine.
 */
const SAMPLE_MS = 15;

interface PageModel {
  id: string;
  input: string;
  width: number;
  height: number;
}

async function prepare(id: string): Promise<{ model: PageModel; files: Record<string, Uint8Array>; cpuNodes: number }> {
  const pack = findIasmPack(id);
  const generate = FIXTURES[id];
  if (!pack || !generate) throw new Error(`no fixture IASM pack ${id}`);
  const forward = (await generate())[pack.backbone];
  if (!forward) throw new Error(`${id}: the fixture has no ${pack.backbone}`);
  const built = buildIasmGraph(decodeModel(forward), iasmOptionsForPack(pack));
  const iasm = encodeModel(built);
  const { width, height } = pack.input;
  const input = rgbaToNchw(await readRgba(PHOTO, pack.input, 'fill'), pack.input);
  return {
    cpuNodes: webGpuFallbackNodes(built).length,
    model: { id, input: pack.input.name, width, height },
    files: {
      [`${id}/forward.onnx`]: forward,
      [`${id}/iasm.onnx`]: iasm,
      [`${id}/input.bin`]: new Uint8Array(input.buffer, input.byteOffset, input.byteLength),
    },
  };
}

export async function iasmRatioInChromium(context: BrowserContext, origin: string): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const backend of BACKENDS) results.push(...(await ratios(context, origin, backend)));
  const prepared = await Promise.all(PACKS.map(prepare));
  for (const [i, id] of PACKS.entries())
    results.push({
      name: `${id}: IASM graph nodes without a WebGPU kernel (CPU fallback)`,
      value: prepared[i]!.cpuNodes,
      unit: 'nodes',
      note: 'checked against the WebGPU EP kernel list (models/onnx/webgpuKernels.ts); goal 0',
    });
  return results;
}

async function ratios(
  context: BrowserContext,
  origin: string,
  backend: (typeof BACKENDS)[number],
): Promise<BenchResult[]> {
  const RUNS = RUNS_BY_BACKEND[backend];
  const prepared = await Promise.all(PACKS.map(prepare));
  const files = Object.assign({}, ...prepared.map((p) => p.files)) as Record<string, Uint8Array>;
  const prefix = `${origin}/__bench/`;
  await context.unroute(`${prefix}**`);
  await context.route(`${prefix}**`, async (route) => {
    const path = route.request().url().slice(prefix.length);
    if (path === 'page.html') {
      return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>IASM bench</title>' });
    }
    if (path.startsWith('ort/')) {
      const name = path.slice(4);
      const type = name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
      return route.fulfill({ contentType: type, body: await readFile(join(ORT_DIST, name)) });
    }
    const bytes = files[path.replace(/^model\//, '')];
    return bytes
      ? route.fulfill({ contentType: 'application/octet-stream', body: Buffer.from(bytes) })
      : route.fulfill({ status: 404, body: 'not found' });
  });
  const page = await context.newPage();
  try {
    await page.goto(`${prefix}page.html`);
    const timings = await page.evaluate(
      async ({ models, warmup, runs, sampleMs, backend }) => {
        type Ort = typeof import('onnxruntime-web');
        // The same entry (onnxruntime-web/webgpu, bundled) and wasm file as workers/iasm.worker.ts.
        // ORT's verbose log says where each node runs ("Node(s) placed on [CPUExecutionProvider].
        // Number of nodes: N"); it reaches the page's console, so the console is read here.
        const logs: string[] = [];
        for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
          const write = console[level].bind(console);
          console[level] = (...args: unknown[]) => {
            logs.push(args.map(String).join(' '));
            write(...args);
          };
        }
        const ort = (await import('/__bench/ort/ort.webgpu.bundle.min.mjs' as string)) as Ort;
        ort.env.wasm.wasmPaths = { wasm: '/__bench/ort/ort-wasm-simd-threaded.asyncify.wasm' };
        ort.env.wasm.numThreads = 1;
        if (backend === 'webgpu') ort.env.logLevel = 'verbose';
        const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
        const out: Record<
          string,
          {
            ratio: number;
            forward: number;
            iasm: number;
            forwardMedian: number;
            iasmMedian: number;
            batch: number;
            cpuPlaced: number | null;
          }
        > = {};
        for (const m of models) {
          const bytes = async (name: string) =>
            new Uint8Array(await (await fetch(`/__bench/model/${m.id}/${name}`)).arrayBuffer());
          const data = new Float32Array((await bytes('input.bin')).buffer);
          const feeds = { [m.input]: new ort.Tensor('float32', data, [1, 3, m.height, m.width]) };
          const options = { executionProviders: [backend] };
          // Placement, from a session of its own with the verbose log (the timed ones log less).
          let cpuPlaced: number | null = null;
          if (backend === 'webgpu') {
            const from = logs.length;
            const probe = await ort.InferenceSession.create(await bytes('iasm.onnx'), {
              ...options,
              logSeverityLevel: 0,
              logVerbosityLevel: 0,
            });
            await probe.release();
            const placed = logs.slice(from).filter((l) => l.includes('placed on ['));
            if (placed.length > 0)
              cpuPlaced = placed
                .filter((l) => l.includes('[CPUExecutionProvider]'))
                .reduce((n, l) => n + Number(/Number of nodes: (\d+)/.exec(l)?.[1] ?? 0), 0);
          }
          const sessions = {
            forward: await ort.InferenceSession.create(await bytes('forward.onnx'), options),
            iasm: await ort.InferenceSession.create(await bytes('iasm.onnx'), options),
          };
          for (let i = 0; i < warmup; i++) for (const s of Object.values(sessions)) await s.run(feeds);
          let fastest = Infinity;
          for (let i = 0; i < 10; i++) {
            const t = performance.now();
            await sessions.forward.run(feeds);
            fastest = Math.min(fastest, performance.now() - t);
          }
          const batch = Math.max(1, Math.ceil(sampleMs / Math.max(fastest, 0.05)));
          const times = { forward: [] as number[], iasm: [] as number[] };
          for (let i = 0; i < runs; i++) {
            for (const key of ['forward', 'iasm'] as const) {
              const t = performance.now();
              for (let j = 0; j < batch; j++) await sessions[key].run(feeds);
              times[key].push((performance.now() - t) / batch);
            }
          }
          await Promise.all([sessions.forward.release(), sessions.iasm.release()]);
          out[m.id] = {
            ratio: median(times.iasm.map((t, i) => t / times.forward[i]!)),
            forward: Math.min(...times.forward),
            iasm: Math.min(...times.iasm),
            forwardMedian: median(times.forward),
            iasmMedian: median(times.iasm),
            batch,
            cpuPlaced,
          };
        }
        return out;
      },
      {
        models: prepared.map((p) => p.model),
        warmup: backend === 'wasm' ? WARMUP : 1,
        runs: RUNS,
        sampleMs: backend === 'wasm' ? SAMPLE_MS : 0,
        backend,
      },
    );
    return PACKS.flatMap((id) => {
      const t = timings[id]!;
      return [
        {
          name: `${id}: (forward + LayerCAM) / forward, Chromium ${backend === 'wasm' ? 'WASM' : 'WebGPU'}`,
          value: t.ratio,
          unit: '×',
          note:
            `median ratio of ${RUNS} back-to-back sample pairs of ${t.batch} runs each; per run fastest ` +
            `${t.iasm.toFixed(2)} vs ${t.forward.toFixed(2)} ms, median ${t.iasmMedian.toFixed(2)} vs ` +
            `${t.forwardMedian.toFixed(2)} ms; goal ≤ 1.6×`,
        },
        ...(backend === 'webgpu'
          ? [
              {
                name: `${id}: IASM graph nodes ORT placed on the CPU in a WebGPU session (verbose log)`,
                value: t.cpuPlaced ?? NaN,
                unit: 'nodes',
                note:
                  t.cpuPlaced === null
                    ? 'no placement lines in the verbose log'
                    : 'sum of "Node(s) placed on [CPUExecutionProvider]" in ORT\'s verbose session log; goal 0',
              },
            ]
          : []),
      ];
    });
  } finally {
    await page.close();
  }
}
