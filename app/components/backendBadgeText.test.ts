import { describe, expect, it } from 'vitest';
import { backendBadgeText } from './backendBadgeText.ts';

describe('backend badge', () => {
  const adapter = 'nvidia ampere';
  const plain = { iasm: { backend: 'webgpu', adapter }, critic: { backend: 'webgpu', adapter } } as const;

  it('says when the critic runs the float32 files because half precision failed on this GPU', () => {
    expect(backendBadgeText(plain)).toMatchObject({ label: 'WebGPU', title: 'Models run on your GPU (nvidia ampere)' });
    const precision = 'float32 files: the first decoding step gave NaN logits';
    expect(backendBadgeText({ ...plain, critic: { backend: 'webgpu', adapter, precision } })).toEqual({
      backend: 'webgpu',
      label: 'WebGPU — critic on float32 files',
      title:
        'Models run on your GPU (nvidia ampere); the critic uses float32 files: the first decoding step gave NaN logits',
    });
  });

  it('shows the weaker backend and its reason', () => {
    expect(backendBadgeText({ ...plain, critic: { backend: 'wasm', reason: 'no WebGPU adapter' } })?.label).toBe(
      'WASM — no WebGPU adapter',
    );
    expect(backendBadgeText({})).toBeNull();
  });
});
