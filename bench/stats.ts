/** Middle value (upper middle for an even count) of a sample; the benches' robust average. */
export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
