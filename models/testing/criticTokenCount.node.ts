// Counts tokens as the demo critic counts its grounding budget: with the fixture SmolVLM tokenizer,
// read from a pack folder on disk (`npm run fixtures`) or generated in memory.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import * as transformers from '@huggingface/transformers';
import { withEnv } from '../critic/env.ts';
import { generateSmolvlmFixture } from '../fixtures/smolvlm.ts';

export type TokenCount = (text: string) => number;

/** The token count of the tokenizer in the pack folder `dir` (tokenizer.json and tokenizer_config.json). */
export async function tokenCountOf(dir: string): Promise<TokenCount> {
  const path = resolve(dir);
  const settings = { allowLocalModels: true, allowRemoteModels: false, localModelPath: `${dirname(path)}/` };
  const tokenizer = await withEnv(transformers.env, settings, () =>
    transformers.AutoTokenizer.from_pretrained(basename(path)),
  );
  return (text) => tokenizer.encode(text, { add_special_tokens: false }).length;
}

/** The token count of the generated fixture critic's tokenizer. */
export async function fixtureCriticTokenCount(): Promise<TokenCount> {
  const files = await generateSmolvlmFixture();
  const dir = join(mkdtempSync(join(tmpdir(), 'aeslens-tokenizer-')), 'fixture-smolvlm');
  try {
    mkdirSync(dir);
    for (const name of ['tokenizer.json', 'tokenizer_config.json']) writeFileSync(join(dir, name), files[name]!);
    return await tokenCountOf(dir);
  } finally {
    rmSync(dirname(dir), { recursive: true, force: true });
  }
}
