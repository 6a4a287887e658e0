// Deterministic sharding by image id: shard k of n (1-based) holds the ids whose FNV-1a hash is
// k-1 mod n. Independent of file order and of the other shards, so any batch scheduler can run
// `--shard 1/n` … `--shard n/n` on different machines and the union covers every image once.

export interface Shard {
  index: number; // 1-based
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new Error(`--shard must be k/n with 1 <= k <= n (got "${text}")`);
  }
  return { index, count };
}

/** 32-bit FNV-1a over the UTF-8 bytes of the id. */
export function fnv1a(id: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(id)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function inShard(id: string, shard: Shard): boolean {
  return fnv1a(id) % shard.count === shard.index - 1;
}
