import { describe, expect, it } from 'vitest';
import { backendBadgeText, criticFilesText } from './backendBadgeText.ts';

describe('backend badge', () => {
  const adapter = 'nvidia ampere';
  const plain = { iasm: { backend: 'webgpu', adapter }, critic: { backend: 'webgpu', adapter } } as const;
  const precision = 'float32 files: the first decoding step gave NaN logits';

  it('says when the critic runs the float32 files because half precision failed on this GPU', () => {
    expect(backendBadgeText(plain)).toMatchObject({ label: 'WebGPU', title: 'Models run on your GPU (nvidia ampere)' });
    expect(backendBadgeText({ ...plain, critic: { backend: 'webgpu', adapter, precision } })).toEqual({
      backend: 'webgpu',
      label: 'WebGPU — critic on float32 files',
      title:
        'Models run on your GPU (nvidia ampere); the critic uses float32 files: the first decoding step gave NaN logits',
    });
  });

  it('says so on WASM too, beside the reason for WASM', () => {
    const critic = { backend: 'wasm', reason: 'no WebGPU adapter', precision } as const;
    expect(backendBadgeText({ ...plain, critic })).toEqual({
      backend: 'wasm',
      label: 'WASM — no WebGPU adapter — critic on float32 files',
      title:
        'Models run on the CPU (WebAssembly): slower, same results; the critic uses float32 files: the first decoding step gave NaN logits',
    });
  });

  it('shows the weaker backend and its reason', () => {
    expect(backendBadgeText({ ...plain, critic: { backend: 'wasm', reason: 'no WebGPU adapter' } })?.label).toBe(
      'WASM — no WebGPU adapter',
    );
    expect(backendBadgeText({})).toBeNull();
  });
});

describe("critic settings' files line", () => {
  const dtypes = { vision_encoder: 'fp32', embed_tokens: 'fp32', decoder_model_merged: 'q4' } as const;

  it('names each session with its dtype, and the reason for float32 after a fallback', () => {
    expect(criticFilesText(undefined)).toBeNull();
    expect(criticFilesText({ backend: 'webgpu' })).toBeNull();
    expect(criticFilesText({ backend: 'webgpu', dtypes })).toBe(
      'Model files: vision fp32, embeddings fp32, decoder q4.',
    );
    expect(
      criticFilesText({
        backend: 'webgpu',
        dtypes,
        precision: 'float32 files: the half-precision files failed to load',
      }),
    ).toBe(
      'Model files: vision fp32, embeddings fp32, decoder q4. The critic uses float32 files: the half-precision files failed to load.',
    );
  });
});
