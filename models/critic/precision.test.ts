// Every dtype set a pack names runs in Node on the fixture's files (which have the real exports'
// input and output types), and a half-precision set that breaks falls back to the known-good one.
import { describe, expect, it } from 'vitest';
import * as transformers from '@huggingface/transformers';
import { generateSmolvlmFixture } from '../fixtures/smolvlm.ts';
import { missingKernelDecoder, nanLogitsDecoder } from '../testing/halfPrecisionFailures.ts';
import { CRITIC_PACKS, type CriticBackend } from '../packs/critic.ts';
import { realExportTypes } from '../testing/criticSessionTypes.ts';
import { loadCritic } from './index.ts';
import { testPhoto } from '../testing/criticImages.ts';

const pack = CRITIC_PACKS.find((p) => p.id === 'fixture-smolvlm')!;
const files = await generateSmolvlmFixture();
const source = (f: Record<string, Uint8Array>) => ({ type: 'files' as const, files: new Map(Object.entries(f)) });
const BACKENDS: CriticBackend[] = ['webgpu-f16', 'webgpu', 'wasm', 'cpu'];

describe('critic dtype sets', () => {
  it("the real packs' sets are the fixture's: every combination is exercised", () => {
    for (const real of CRITIC_PACKS.filter((p) => !p.fixture)) expect(real.dtypes).toEqual(pack.dtypes);
  });

  for (const backend of BACKENDS)
    it(`runs the ${backend} set (${Object.values(pack.dtypes[backend]).join(', ')}) in Node`, async () => {
      const critic = await loadCritic(transformers, pack, { device: 'cpu', backend, fileSource: source(files) });
      expect(critic.dtypes).toEqual(pack.dtypes[backend]);
      expect(critic.fallback).toBeNull();
      const types = critic.sessionTypes();
      expect(Object.keys(types).sort()).toEqual(['decoder_model_merged', 'embed_tokens', 'vision_encoder']);
      expect(Object.keys(types.decoder_model_merged!.inputs)).toContain('past_key_values.0.key');
      expect(types).toEqual(realExportTypes(types, pack.dtypes[backend].decoder_model_merged));
      expect(await critic.firstStepProblem()).toBeNull();
      const result = await critic.critique(testPhoto(240, 180, 5), null, { maxNewTokens: 8 });
      expect(result.tokens).toBe(8);
      expect(result.text).toMatch(/[a-z]{2,}/);
      await critic.dispose();
    });

  it('falls back to the known-good float32 set when the half-precision decoder gives NaN logits', async () => {
    const broken = nanLogitsDecoder();
    const critic = await loadCritic(transformers, pack, {
      device: 'cpu',
      backend: 'webgpu-f16',
      fileSource: source({ ...files, 'onnx/decoder_model_merged_q4f16.onnx': broken }),
    });
    expect(critic.dtypes).toEqual(pack.dtypes.webgpu);
    expect(critic.fallback).toEqual({
      from: 'webgpu-f16',
      reason: 'the first decoding step gave NaN logits',
      deviceFault: true,
    });
    expect((await critic.critique(testPhoto(240, 180, 5), null, { maxNewTokens: 4 })).tokens).toBe(4);
    await critic.dispose();
  });

  it('loads the known-good set at once when told the half-precision one failed on this device before', async () => {
    const critic = await loadCritic(transformers, pack, {
      device: 'cpu',
      backend: 'webgpu-f16',
      avoidHalfPrecision: 'it failed on this device before',
      fileSource: source({ ...files, 'onnx/decoder_model_merged_q4f16.onnx': new Uint8Array(0) }),
    });
    expect(critic.dtypes).toEqual(pack.dtypes.webgpu);
    expect(critic.fallback).toEqual({
      from: 'webgpu-f16',
      reason: 'it failed on this device before',
      deviceFault: true,
    });
    await critic.dispose();
  });

  it('falls back, blaming the device, when the backend lacks a kernel the half-precision decoder needs', async () => {
    const broken = missingKernelDecoder(files['onnx/decoder_model_merged_q4f16.onnx']!);
    const critic = await loadCritic(transformers, pack, {
      device: 'cpu',
      backend: 'webgpu-f16',
      fileSource: source({ ...files, 'onnx/decoder_model_merged_q4f16.onnx': broken }),
    });
    expect(critic.dtypes).toEqual(pack.dtypes.webgpu);
    expect(critic.fallback).toMatchObject({ from: 'webgpu-f16', deviceFault: true });
    expect(critic.fallback!.reason).toMatch(/^the half-precision files failed to load \(.*Kernel not found/i);
    await critic.dispose();
  });

  it('falls back, without blaming the device, when a half-precision file is corrupt', async () => {
    const q4f16 = files['onnx/decoder_model_merged_q4f16.onnx']!;
    const critic = await loadCritic(transformers, pack, {
      device: 'cpu',
      backend: 'webgpu-f16',
      fileSource: source({ ...files, 'onnx/decoder_model_merged_q4f16.onnx': q4f16.slice(0, q4f16.length >> 1) }),
    });
    expect(critic.dtypes).toEqual(pack.dtypes.webgpu);
    expect(critic.fallback).toMatchObject({ from: 'webgpu-f16', deviceFault: false });
    expect(critic.fallback!.reason).toMatch(
      /^the half-precision files failed to load \(An ONNX model file .* is corrupt/,
    );
    expect((await critic.critique(testPhoto(240, 180, 5), null, { maxNewTokens: 4 })).tokens).toBe(4);
    await critic.dispose();
  });
});
