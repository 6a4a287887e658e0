// A cheap fingerprint of a large file, for cache keys of artefacts derived from it: its length and
// a hash of three samples (start, middle, end). A re-exported model changes its size or most of
// its bytes; hashing all of an 87 MB backbone on every start would cost more than it protects.

const SAMPLE = 64 * 1024;

/** FNV-1a (32 bit) over `bytes`, continuing from `hash`. */
function fnv1a(bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function fileFingerprint(bytes: Uint8Array): string {
  const middle = Math.max(0, Math.floor(bytes.length / 2) - SAMPLE / 2);
  const samples = [bytes.subarray(0, SAMPLE), bytes.subarray(middle, middle + SAMPLE), bytes.subarray(-SAMPLE)];
  const hash = samples.reduce((h, s) => fnv1a(s, h), 0x811c9dc5);
  return `${bytes.length}-${hash.toString(16).padStart(8, '0')}`;
}
