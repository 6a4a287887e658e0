// A deterministic stand-in for the IASM + critic pipeline, loaded by eval.test.ts through
// `aeslens eval --pipeline`. It waits AESLENS_TEST_PIPELINE_DELAY_MS per image (so a test can kill
// the process mid-run) and logs every call to AESLENS_TEST_PIPELINE_CALLS.
import { appendFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Pipeline } from '../eval/evaluate.ts';
import type { PipelineOptions } from '../cli/eval.ts';

export default async function createTestPipeline(options: PipelineOptions): Promise<Pipeline> {
  const delay = Number(process.env.AESLENS_TEST_PIPELINE_DELAY_MS ?? 0);
  const calls = process.env.AESLENS_TEST_PIPELINE_CALLS;
  return async (imagePath) => {
    if (calls) appendFileSync(calls, `${basename(imagePath)}\n`);
    await new Promise((r) => setTimeout(r, delay));
    const name = basename(imagePath)
      .replace(/\.\w+$/, '')
      .toLowerCase();
    const guided = options.guidance ? 'the salient subject is well placed' : 'the photo is balanced';
    return { critique: `A ${name} photo; ${guided}.`, score: name.length };
  };
}
