import { afterEach, describe, expect, it, vi } from 'vitest';
import { halfPrecisionFailure, rememberHalfPrecisionFailure, WASM_DEVICE } from './halfPrecisionMemory.ts';

/** The parts of CacheStorage the memory uses, in memory. */
function fakeCaches() {
  const stores = new Map<string, Map<string, string>>();
  return {
    open: async (name: string) => {
      const store = stores.get(name) ?? new Map<string, string>();
      stores.set(name, store);
      return {
        match: async (key: string) => (store.has(key) ? new Response(store.get(key)) : undefined),
        put: async (key: string, response: Response) => void store.set(key, await response.text()),
      };
    },
  };
}

afterEach(() => vi.unstubAllGlobals());

describe('half-precision memory', () => {
  it('remembers a failure per device (GPU adapter or WASM) and pack', async () => {
    vi.stubGlobal('caches', fakeCaches());
    expect(await halfPrecisionFailure('nvidia ampere', 'smolvlm-256m')).toBeUndefined();
    await rememberHalfPrecisionFailure('nvidia ampere', 'smolvlm-256m', 'the first decoding step gave NaN logits');
    expect(await halfPrecisionFailure('nvidia ampere', 'smolvlm-256m')).toBe(
      'half precision failed on this device before: the first decoding step gave NaN logits',
    );
    expect(await halfPrecisionFailure('apple m2', 'smolvlm-256m')).toBeUndefined();
    expect(await halfPrecisionFailure(WASM_DEVICE, 'smolvlm-256m')).toBeUndefined();
    expect(await halfPrecisionFailure('nvidia ampere', 'smolvlm-500m')).toBeUndefined();
  });
});
