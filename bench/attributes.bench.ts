// Cost of the measured attributes on the 18 MP photo, against the cost of decoding it (sharp, as the
// CLI reads photos): the full-resolution statistics should cost at most half a decode. Decodes and
// measurements alternate, so load on the machine hits both alike. Also: the prompt tokens grounding adds.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readRgba } from '../models/common/readRgba.node.ts';
import {
  attributesOf,
  groundingFacts,
  groundingSentence,
  GROUNDING_TOKENS,
  scanPhoto,
} from '../models/attributes/index.ts';
import { tokenCountOf } from '../models/testing/criticTokenCount.node.ts';
import type { Attributes } from '../models/attributes/types.ts';
import { CRITIC_PROMPT } from '../models/packs/critic.ts';
import type { RgbaPixels } from '../models/attributes/types.ts';
import { median } from './stats.ts';
import type { BenchResult } from './types.ts';

const PHOTO = '../shared/photos/large/Elephants_5640x3172.jpg';
const RUNS = 5;
/** The demo critic's tokenizer, written by `npm run fixtures` (the real SmolVLM one needs the Hub). */
const FIXTURE_MODELS = resolve('public/models/fixture');

/** Tokens the measured facts add to the critic's prompt, counted by the demo critic's own tokenizer. */
async function groundingTokens(attributes: Attributes): Promise<BenchResult> {
  const dir = resolve(FIXTURE_MODELS, 'fixture-smolvlm');
  if (!existsSync(resolve(dir, 'tokenizer.json')))
    return {
      name: 'prompt tokens added by grounding',
      value: NaN,
      unit: 'tokens',
      note: 'run `npm run fixtures` first',
    };
  const count = await tokenCountOf(dir);
  const facts = groundingFacts(attributes);
  const told = groundingSentence(facts, GROUNDING_TOKENS, count);
  const added = count(`${CRITIC_PROMPT} ${told}`) - count(CRITIC_PROMPT);
  return {
    name: 'prompt tokens added by grounding',
    value: added,
    unit: 'tokens',
    note: `budget ${GROUNDING_TOKENS} tokens, counted by the critic's tokenizer: ${told.split(';').length} of ${facts.length} facts fit (${told.length} characters). The demo tokenizer is byte-level (about one token a character); SmolVLM's BPE vocabulary fits more facts in the same budget`,
  };
}

const decode = (): Promise<RgbaPixels> => readRgba(PHOTO);

export default async function (): Promise<BenchResult[]> {
  const saliency = {
    data: new Float32Array(224 * 224).fill(0.3).fill(0.8, 224 * 80, 224 * 150),
    width: 224,
    height: 224,
  };
  const decodes: number[] = [];
  const scans: number[] = [];
  const derived: number[] = [];
  let image = await decode();
  let attributes: Attributes | null = null;
  for (let run = 0; run < RUNS; run++) {
    let t = performance.now();
    image = await decode();
    decodes.push(performance.now() - t);
    t = performance.now();
    const scan = scanPhoto(image);
    scans.push(performance.now() - t);
    t = performance.now();
    attributes = attributesOf(scan, saliency);
    derived.push(performance.now() - t);
  }
  const [d, s, a] = [median(decodes), median(scans), median(derived)];
  const size = `${image.width}×${image.height}`;
  return [
    {
      name: 'full-resolution statistics / decode, 18 MP JPEG',
      value: s / d,
      unit: '×',
      note: `median of ${RUNS}: ${s.toFixed(0)} ms vs sharp decode ${d.toFixed(0)} ms (${size}); goal ≤ 0.5×`,
    },
    {
      name: 'all attributes (statistics + working-plane focus, palette, horizon) / decode',
      value: (s + a) / d,
      unit: '×',
      note: `derived measurements ${a.toFixed(0)} ms on the 1024-px plane`,
    },
    await groundingTokens(attributes!),
  ];
}
