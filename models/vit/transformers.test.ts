// IAS-ViT inside transformers.js: a SmolVLM-layout pack whose vision_encoder is an IAS-ViT
// encoder, with `saliency` registered as a forward param, as the critic is to use it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as transformers from '@huggingface/transformers';
import { encodeModel } from '../onnx/index.ts';
import { generateSmolvlmFixture, SMOLVLM_FIXTURE } from '../fixtures/smolvlm.ts';
import { writeFiles } from '../fixtures/writeFiles.node.ts';
import { buildIdefics3VisionEncoder } from './idefics3.ts';
import { buildPackIasVisionEncoder, saliencyFrames, WHOLE_FRAME } from './pack.ts';
import { randomFusion, randomIdefics3Weights } from './random.ts';
import type { VitConfig } from './vit.ts';
import { weightsToSafetensors } from './weights.ts';

// A real (tiny) SigLIP tower at the fixture's frame size: 512² / patch 32 → 16×16, shuffle 2 → 64 tokens.
const tower: VitConfig = {
  prefix: 'model.vision_model.',
  hidden: 16,
  heads: 2,
  layers: 2,
  mlp: 32,
  patch: 32,
  channels: 3,
  grid: 16,
  cls: false,
  activation: 'gelu_tanh',
  lnEps: 1e-6,
  preNorm: false,
  postNorm: 'tokens',
};
const root = mkdtempSync(join(tmpdir(), 'aeslens-iasvit-tjs-'));
let grid: [number, number];

beforeAll(async () => {
  const files = await generateSmolvlmFixture();
  const base = encodeModel(
    buildIdefics3VisionEncoder(randomIdefics3Weights(tower, 2, SMOLVLM_FIXTURE.hidden, 51), tower, { scaleFactor: 2 }),
  );
  const ias = buildPackIasVisionEncoder(
    base,
    weightsToSafetensors(randomFusion(tower.hidden, tower.grid, false, [0, 1], 52, 2)),
  );
  grid = ias.grid;
  files['onnx/vision_encoder.onnx'] = ias.bytes;
  writeFiles(join(root, 'ias-smolvlm'), files);
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.localModelPath = `${root}/`;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('IAS-ViT vision_encoder in transformers.js', () => {
  it('runs through generate() once `saliency` is a forward param, and the saliency changes the logits', async () => {
    const processor = await transformers.AutoProcessor.from_pretrained('ias-smolvlm');
    const model = await transformers.AutoModelForVision2Seq.from_pretrained('ias-smolvlm', {
      dtype: 'fp32',
      device: 'cpu',
    });
    const image = new transformers.RawImage(
      new Uint8ClampedArray(64 * 48 * 3).map((_, i) => (i * 7) % 251),
      64,
      48,
      3,
    );
    const messages = [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: 'Comment.' }] }];
    const text = processor.apply_chat_template(messages, { add_generation_prompt: true }) as string;
    const inputs = await processor(text, [image], { do_image_splitting: false });
    const map = { data: Float32Array.from({ length: 48 * 64 }, (_, i) => ((i % 64) / 64) ** 2), width: 64, height: 48 };
    const s = saliencyFrames(map, [WHOLE_FRAME], grid);
    const saliency = new transformers.Tensor('float32', s.data, s.dims);

    // Without registration transformers.js drops the kwarg and the session misses its input.
    await expect(model.generate({ ...inputs, saliency, max_new_tokens: 1 })).rejects.toThrow(/saliency/);

    const m = model as unknown as { forward_params: string[] };
    if (!m.forward_params.includes('saliency')) m.forward_params.push('saliency');
    const out = (await model.generate({ ...inputs, saliency, max_new_tokens: 2 })) as transformers.Tensor;
    expect(out.dims[1]).toBe((inputs.input_ids as transformers.Tensor).dims[1]! + 2);

    const logits = async (sal: transformers.Tensor) =>
      ((await model({ ...inputs, saliency: sal })) as { logits: transformers.Tensor }).logits.data as Float32Array;
    const a = await logits(saliency);
    const flipped = saliencyFrames({ ...map, data: map.data.map((v) => 1 - v) }, [WHOLE_FRAME], grid);
    const b = await logits(new transformers.Tensor('float32', flipped.data, flipped.dims));
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))).toBeGreaterThan(1e-5);
    await model.dispose();
  }, 120_000);
});
