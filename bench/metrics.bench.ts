// Metrics throughput on 10,000 synthetic candidate/reference sets (seeded, so every run scores the
// same text): tokenisation, each scorer, and the whole evaluateCaptions pass, in captions per second.
import {
  Bleu,
  Cider,
  Meteor,
  PrecisionRecall,
  Rouge,
  evaluateCaptions,
  tokenizeCaptions,
} from '../models/metrics/index.ts';
import { loadavg } from 'node:os';
import { mulberry32 } from '../models/random/mulberry32.ts';
import type { BenchResult } from './types.ts';

const IMAGES = 10_000;
const REFS_PER_IMAGE = 5;

const WORDS = (
  'the a photo image light shadow colour color composition subject frame background foreground sharp soft ' +
  'focus blur contrast warm cool tones horizon lines leading eye balance crop tighter exposure highlights ' +
  'shadows detail texture sky water tree flower portrait street nice good great strong weak busy simple ' +
  'centre center rule thirds depth field shallow deep lens angle low high viewpoint mood calm dramatic'
).split(' ');

function sentence(rand: () => number): string {
  const n = 8 + Math.floor(rand() * 18);
  const words = Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)] ?? 'the');
  const first = words[0] ?? 'the';
  words[0] = first[0]?.toUpperCase() + first.slice(1);
  return `${words.join(' ')}${rand() < 0.3 ? ', really' : ''}.`;
}

function corpus(): { refs: Record<string, string[]>; cands: Record<string, string> } {
  // Seeded so the corpus is identical on every run.
  const rand = mulberry32(20261122);
  const refs: Record<string, string[]> = {};
  const cands: Record<string, string> = {};
  for (let i = 0; i < IMAGES; i++) {
    refs[`img${i}`] = Array.from({ length: REFS_PER_IMAGE }, () => sentence(rand));
    cands[`img${i}`] = sentence(rand);
  }
  return { refs, cands };
}

function timed<T>(fn: () => T): { value: T; seconds: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

export default async function metricsBench(): Promise<BenchResult[]> {
  const { refs, cands } = corpus();
  // Shared 2-core machine: record the load so numbers from different runs can be compared.
  const note = `${IMAGES} candidates, ${REFS_PER_IMAGE} refs each; load avg ${loadavg()[0]?.toFixed(1)}`;
  const rate = (seconds: number): number => IMAGES / seconds;

  const tok = timed(() => ({
    gts: tokenizeCaptions(refs),
    res: tokenizeCaptions(Object.fromEntries(Object.entries(cands).map(([k, v]) => [k, [v]]))),
  }));
  const { gts, res } = tok.value;
  const results: BenchResult[] = [
    { name: 'PTB tokenisation', value: rate(tok.seconds), unit: 'captions/s', note: `${note}; refs + candidates` },
  ];
  const scorers = [new Bleu(4), new Meteor(), new Rouge(), new Cider(), new PrecisionRecall()] as const;
  for (const scorer of scorers) {
    const t = timed(() => scorer.computeScore(gts, res));
    results.push({ name: scorer.name, value: rate(t.seconds), unit: 'captions/s', note });
  }
  const all = timed(() => evaluateCaptions(refs, cands));
  results.push({
    name: 'evaluateCaptions (all metrics)',
    value: rate(all.seconds),
    unit: 'captions/s',
    note: `${note}; ${all.seconds.toFixed(1)} s total`,
  });
  return results;
}
