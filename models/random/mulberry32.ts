// The one seeded PRNG of the project: fixtures, test inputs and benchmark corpora built from it
// are the same on every run, machine and JS engine (32-bit integer arithmetic only).

/** mulberry32: a small 32-bit PRNG; returns a function giving uniform numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
