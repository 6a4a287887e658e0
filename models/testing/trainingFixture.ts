// The SmolVLM fixture's sessions and a seeded teacher-forced example for training-graph tests.
import { generateSmolvlmFixture, SMOLVLM_FIXTURE, SMOLVLM_FIXTURE_FUSION } from '../fixtures/smolvlm.ts';
import { mulberry32 } from '../random/mulberry32.ts';
import type { Example } from '../training/feeds.ts';
import type { PackSessions } from '../training/trainingGraph.ts';

export interface FixtureFiles extends PackSessions {
  fusion: Uint8Array;
  imageTokenId: number;
  vocab: number;
}

export async function fixtureSessions(): Promise<FixtureFiles> {
  const files = await generateSmolvlmFixture();
  const config = JSON.parse(new TextDecoder().decode(files['config.json'])) as {
    image_token_id: number;
    vocab_size: number;
  };
  return {
    visionEncoder: files['onnx/vision_encoder.onnx']!,
    embedTokens: files['onnx/embed_tokens.onnx']!,
    decoder: files['onnx/decoder_model_merged.onnx']!,
    fusion: files[SMOLVLM_FIXTURE_FUSION]!,
    imageTokenId: config.image_token_id,
    vocab: config.vocab_size,
  };
}

/** A seeded photo-like frame [1, 1, 3, S, S] in [-1, 1]: smooth gradients plus noise. */
export function seededPixels(seed: number): { data: Float32Array; dims: number[] } {
  const S = SMOLVLM_FIXTURE.imageSize;
  const r = mulberry32(seed);
  const phase = [r(), r(), r()].map((p) => p * 6);
  const data = new Float32Array(3 * S * S);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++)
        data[(c * S + y) * S + x] = 0.6 * Math.sin(phase[c]! + (3 * x + 2 * y) / S) + 0.2 * (2 * r() - 1);
  return { data, dims: [1, 1, 3, S, S] };
}

/** A saliency map on the 16×16 patch grid [1, 16, 16], seeded, in [0, 1]. */
export function seededSaliency(seed: number): { data: Float32Array; dims: number[] } {
  const g = SMOLVLM_FIXTURE.imageSize / SMOLVLM_FIXTURE.patch;
  const r = mulberry32(seed);
  return { data: Float32Array.from({ length: g * g }, () => r()), dims: [1, g, g] };
}

/** prompt tokens, the image block, more prompt, then `targets` target tokens (seeded ids). */
export function seededExample(f: FixtureFiles, seed: number, targets = 6): Example {
  const r = mulberry32(seed);
  const word = () => {
    const id = 20 + Math.floor(r() * (f.vocab - 40));
    return id === f.imageTokenId ? id + 1 : id;
  };
  const image = Array<number>(SMOLVLM_FIXTURE.imageSeqLen).fill(f.imageTokenId);
  const ids = [word(), word(), ...image, word(), word(), word()];
  const targetStart = ids.length;
  for (let i = 0; i < targets; i++) ids.push(word());
  return {
    ids,
    targetStart,
    imageTokenId: f.imageTokenId,
    pixels: seededPixels(seed + 1),
    saliency: seededSaliency(seed + 2),
  };
}
