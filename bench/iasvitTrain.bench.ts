// IAS-ViT training on the SmolVLM fixture pack: one training step (forward + backward for the fusion
// weights, the decoder over the whole teacher-forced sequence) against one teacher-forced inference
// forward of the same pack (IAS-ViT vision encoder, embeddings, decoder), time and peak memory, each
// measured in its own process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './types.ts';

const SCRIPT = fileURLToPath(new URL('./training/step.ts', import.meta.url));

interface Measure {
  peakKb: number;
  baseKb: number;
  ms: number[];
}

function measure(mode: 'train' | 'inference'): Promise<Measure> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as Measure) : reject(new Error(`${mode} run exited with ${code}`)),
    );
  });
}

const best = (xs: number[]) => Math.min(...xs);

export default async function (): Promise<BenchResult[]> {
  const inference = await measure('inference');
  const train = await measure('train');
  const growth = (m: Measure) => (m.peakKb - m.baseKb) / 1024;
  const note =
    'SmolVLM fixture (vision 16 wide, 2 blocks, 512² frame; decoder 32 wide, 2 layers), 117-token sequence with 48 targets, onnxruntime-node CPU 1 thread, best of 5';
  return [
    { name: 'teacher-forced forward (inference sessions)', value: best(inference.ms), unit: 'ms', note },
    { name: 'training step (loss + fusion gradients)', value: best(train.ms), unit: 'ms', note },
    {
      name: 'training step / forward time',
      value: best(train.ms) / best(inference.ms),
      unit: '×',
      note: 'goal ≤ 3.5×',
    },
    {
      name: 'inference peak memory above the loaded process',
      value: growth(inference),
      unit: 'MiB',
      note: `process peak ${(inference.peakKb / 1024).toFixed(0)} MiB`,
    },
    {
      name: 'training peak memory above the loaded process',
      value: growth(train),
      unit: 'MiB',
      note: `process peak ${(train.peakKb / 1024).toFixed(0)} MiB`,
    },
    {
      name: 'training / inference peak memory',
      value: growth(train) / growth(inference),
      unit: '×',
      note: 'goal ≤ 3×; process peaks ratio ' + (train.peakKb / inference.peakKb).toFixed(2) + '×',
    },
  ];
}
