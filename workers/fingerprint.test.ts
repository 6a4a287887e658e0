import { describe, expect, it } from 'vitest';
import { fileFingerprint } from './fingerprint.ts';

describe('fileFingerprint', () => {
  const file = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 31) % 251);

  it('is the same for the same bytes, and names the length', () => {
    expect(fileFingerprint(file)).toBe(fileFingerprint(file.slice()));
    expect(fileFingerprint(file)).toMatch(/^1048576-[0-9a-f]{8}$/);
  });

  it('changes with a byte changed in any sample, or with the length', () => {
    for (const at of [10, file.length / 2, file.length - 10]) {
      const changed = file.slice();
      changed[at] = changed[at]! ^ 1;
      expect(fileFingerprint(changed)).not.toBe(fileFingerprint(file));
    }
    expect(fileFingerprint(file.subarray(1))).not.toBe(fileFingerprint(file));
  });

  it('covers small files whole', () => {
    const small = Uint8Array.of(1, 2, 3);
    expect(fileFingerprint(small)).not.toBe(fileFingerprint(Uint8Array.of(1, 2, 4)));
  });
});
