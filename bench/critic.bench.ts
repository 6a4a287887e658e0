// The critic on the SmolVLM fixture in Node: our critique path against a bare transformers.js
// generate() on the same files, photo and prompt (tokens/s and time to first token, as
// ratios measured in one run), and what saliency guidance (two extra 512² views) costs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as transformers from '@huggingface/transformers';
import { readRgba } from '../models/common/readRgba.node.ts';
import { loadCritic, type CritiqueResult } from '../models/critic/index.ts';
import { generateSmolvlmFixture } from '../models/fixtures/smolvlm.ts';
import { writeFiles } from '../models/fixtures/writeFiles.node.ts';
import { CRITIC_PACKS } from '../models/packs/critic.ts';
import type { BenchResult } from './types.ts';
import { median } from './stats.ts';

const PHOTO = new URL('../../shared/photos/good/Dune.jpg', import.meta.url).pathname;
const RUNS = 15;
const NEW_TOKENS = 64;

interface Sample {
  firstTokenMs: number;
  /** Median gap between two new tokens within the run. */
  medianTokenMs: number;
  totalMs: number;
}

export default async function critic(): Promise<BenchResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'aeslens-critic-bench-'));
  try {
    const dir = writeFiles(join(root, 'fixture-smolvlm'), await generateSmolvlmFixture());
    const pack = CRITIC_PACKS.find((p) => p.id === 'fixture-smolvlm')!;
    const image = await readRgba(PHOTO, { width: 2048, height: 2048 }, 'inside');
    // A saliency map with two separated peaks, so guidance adds two crops.
    const [sw, sh] = [32, 20];
    const saliency = new Float32Array(sw * sh);
    for (let y = 0; y < sh; y++)
      for (let x = 0; x < sw; x++)
        saliency[y * sw + x] =
          Math.exp(-((x - 7) ** 2 + (y - 5) ** 2) / 6) + 0.8 * Math.exp(-((x - 25) ** 2 + (y - 14) ** 2) / 6);
    const map = { data: saliency, width: sw, height: sh };

    // Ours: the critic as the worker and CLI use it.
    const ours = await loadCritic(transformers, pack, { device: 'cpu', fileSource: { type: 'directory', path: dir } });
    const critiqueOnce = (guidance: boolean): Promise<CritiqueResult> =>
      ours.critique(image, map, { guidance, maxNewTokens: NEW_TOKENS });

    // Bare: transformers.js directly, same files, same dtypes, same photo and prompt (one 512² view).
    const saved = {
      allowRemoteModels: transformers.env.allowRemoteModels,
      localModelPath: transformers.env.localModelPath,
    };
    Object.assign(transformers.env, { allowRemoteModels: false, allowLocalModels: true, localModelPath: `${root}/` });
    const processor = await transformers.AutoProcessor.from_pretrained('fixture-smolvlm');
    const model = await transformers.AutoModelForImageTextToText.from_pretrained('fixture-smolvlm', {
      dtype: pack.dtypes.cpu,
      device: 'cpu',
    });
    Object.assign(transformers.env, saved);
    const prompt = processor.apply_chat_template(
      [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: pack.prompt }] }],
      { add_generation_prompt: true },
    ) as string;
    const imageProcessor = processor.image_processor as unknown as { size: { longest_edge: number } };
    imageProcessor.size = { longest_edge: 512 };
    const bareOnce = async (): Promise<Sample> => {
      const times: number[] = [];
      const streamer = new transformers.TextStreamer(processor.tokenizer!, {
        skip_prompt: true,
        callback_function: () => {},
        token_callback_function: () => times.push(performance.now()),
      });
      // From the photo's pixels, as ours starts: a bare app has to process the image too.
      const start = performance.now();
      const pixels = new transformers.RawImage(image.data, image.width, image.height, 4);
      const inputs = await processor(prompt, [pixels], { do_image_splitting: false });
      await model.generate({ ...inputs, max_new_tokens: NEW_TOKENS, do_sample: false, streamer });
      const end = performance.now();
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      return { firstTokenMs: times[0]! - start, medianTokenMs: median(gaps), totalMs: end - start };
    };

    await critiqueOnce(false);
    await bareOnce(); // warm-up
    // Ours from the photo's pixels, as the bare path is timed.
    const sample = ({ timings: t }: CritiqueResult): Sample => ({
      firstTokenMs: t.preprocessMs + t.firstTokenMs,
      medianTokenMs: t.medianTokenMs,
      totalMs: t.totalMs,
    });
    const oursPlain: Sample[] = [];
    const bare: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      oursPlain.push(sample(await critiqueOnce(false)));
      bare.push(await bareOnce());
    }
    // Guidance changes the number of frames (and so every tensor shape): its own loop, alternating
    // guided and plain runs so that both pay for the change of shapes alike.
    const oursGuided: Sample[] = [];
    const plainBesideGuided: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      oursGuided.push(sample(await critiqueOnce(true)));
      plainBesideGuided.push(sample(await critiqueOnce(false)));
    }
    const guidedResult = await critiqueOnce(true);
    const plainResult = await critiqueOnce(false);
    await ours.dispose();
    await model.dispose();

    // Medians over runs; decoding speed from the median gap between tokens, so that a stall caused by
    // another process on a shared machine does not count.
    const m = (xs: Sample[], k: keyof Sample) => median(xs.map((x) => x[k]));
    const tps = (xs: Sample[]) => 1000 / m(xs, 'medianTokenMs');
    return [
      {
        name: 'our critic tokens/s',
        value: tps(oursPlain),
        unit: 'tok/s',
        note: `fixture, ${NEW_TOKENS} new tokens, greedy, CPU, median of ${RUNS}`,
      },
      { name: 'bare generate tokens/s', value: tps(bare), unit: 'tok/s' },
      {
        name: 'tokens/s ours ÷ bare',
        value: tps(oursPlain) / tps(bare),
        unit: '×',
        note: 'goal ≥ 0.97 (overhead ≤ 3 %)',
      },
      {
        name: 'our time to first token',
        value: m(oursPlain, 'firstTokenMs'),
        unit: 'ms',
        note: 'from the photo: image processing, vision encoder, prefill, first step',
      },
      { name: 'bare time to first token', value: m(bare, 'firstTokenMs'), unit: 'ms' },
      {
        name: 'time to first token ours ÷ bare',
        value: m(oursPlain, 'firstTokenMs') / m(bare, 'firstTokenMs'),
        unit: '×',
        note: 'goal ≤ 1.03',
      },
      {
        name: 'guidance: time to first token with ÷ without',
        value: m(oursGuided, 'firstTokenMs') / m(plainBesideGuided, 'firstTokenMs'),
        unit: '×',
        note: `${guidedResult.imageTokens} vs ${plainResult.imageTokens} image tokens (${guidedResult.crops.length} crops)`,
      },
      {
        name: 'guidance: whole critique with ÷ without',
        value: m(oursGuided, 'totalMs') / m(plainBesideGuided, 'totalMs'),
        unit: '×',
        note: 'incl. crops and image processing',
      },
      {
        name: 'guidance: prompt tokens with ÷ without',
        value: guidedResult.promptTokens / plainResult.promptTokens,
        unit: '×',
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
