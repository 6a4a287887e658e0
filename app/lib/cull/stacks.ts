// Stacks of near-duplicates (bursts, re-takes). Two photos are near when their image embeddings
// (from one trained pack) point the same way, else when their difference hashes differ in few
// bits; stacks are the connected groups of near photos (single linkage).

/** Difference hash: 9×8 grey samples, one bit per horizontal neighbour pair (left brighter), as 16 hex digits. */
export function differenceHash(grey: Float32Array | Uint8Array | number[], width: number, height: number): string {
  const sample = (x: number, y: number): number => {
    // Box average of the source cell, so the hash follows the picture, not single pixels.
    const x0 = Math.floor((x * width) / 9);
    const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * width) / 9));
    const y0 = Math.floor((y * height) / 8);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * height) / 8));
    let sum = 0;
    for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += grey[yy * width + xx]!;
    return sum / ((x1 - x0) * (y1 - y0));
  };
  let hex = '';
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) byte = (byte << 1) | (sample(x, y) > sample(x + 1, y) ? 1 : 0);
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

function popcount32(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Bits in which two difference hashes differ. */
export function hashDistance(a: string, b: string): number {
  const half = (h: string, i: number): number => parseInt(h.slice(i * 8, i * 8 + 8), 16);
  return popcount32(half(a, 0) ^ half(b, 0)) + popcount32(half(a, 1) ^ half(b, 1));
}

/** The vector scaled to length 1 (cosine similarity is then a dot product). */
export function unit(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum) || 1;
  return v.map((x) => x / norm);
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Bits two hashes may differ by and still be one scene. */
export const NEAR_DUPLICATE_BITS = 10;
/** Cosine similarity of two CLIP image embeddings above which they are one scene. */
export const NEAR_DUPLICATE_COSINE = 0.94;

/** What stacking needs of a photo. */
export interface StackInput {
  id: string;
  /** differenceHash of the photo. */
  hash?: string;
  /** Unit-length image embedding and the pack it came from (only a trained pack's embedding says what a photo shows). */
  embedding?: { pack: string; unit: Float32Array };
}

/** Whether two photos are near-duplicates: by embedding when both have one from the same pack, else by hash. */
export function near(a: StackInput, b: StackInput): boolean {
  if (
    a.embedding &&
    b.embedding &&
    a.embedding.pack === b.embedding.pack &&
    a.embedding.unit.length === b.embedding.unit.length
  )
    return dot(a.embedding.unit, b.embedding.unit) >= NEAR_DUPLICATE_COSINE;
  if (a.hash && b.hash) return hashDistance(a.hash, b.hash) <= NEAR_DUPLICATE_BITS;
  return false;
}

/**
 * The near pairs among photos, kept up to date one photo at a time: a photo whose hash or
 * embedding changed is compared with every other once, so a photo analysed costs n comparisons,
 * not n² again.
 */
export class NearGraph {
  private readonly inputs = new Map<string, StackInput>();
  private readonly edges = new Map<string, Set<string>>();

  /** Ids whose inputs are new or changed (compare them with `connect`); photos gone are dropped now. */
  changed(inputs: readonly StackInput[]): StackInput[] {
    const now = new Set(inputs.map((p) => p.id));
    for (const id of [...this.inputs.keys()]) if (!now.has(id)) this.drop(id);
    return inputs.filter((p) => {
      const before = this.inputs.get(p.id);
      return !before || before.hash !== p.hash || before.embedding?.unit !== p.embedding?.unit;
    });
  }

  /** Compares `input` with every photo known and records it. */
  connect(input: StackInput): void {
    this.drop(input.id);
    const mine = new Set<string>();
    for (const other of this.inputs.values()) {
      if (!near(input, other)) continue;
      mine.add(other.id);
      this.edges.get(other.id)!.add(input.id);
    }
    this.inputs.set(input.id, input);
    this.edges.set(input.id, mine);
  }

  private drop(id: string): void {
    for (const other of this.edges.get(id) ?? []) this.edges.get(other)?.delete(id);
    this.edges.delete(id);
    this.inputs.delete(id);
  }

  /** Stacks of two or more, each in the order of `order` (photos alone are left out). */
  groups(order: readonly string[]): string[][] {
    const seen = new Set<string>();
    const out: string[][] = [];
    for (const start of order) {
      if (seen.has(start) || !this.edges.get(start)?.size) continue;
      const members = new Set([start]);
      const todo = [start];
      seen.add(start);
      while (todo.length) {
        for (const next of this.edges.get(todo.pop()!) ?? []) {
          if (seen.has(next)) continue;
          seen.add(next);
          members.add(next);
          todo.push(next);
        }
      }
      out.push(order.filter((id) => members.has(id)));
    }
    return out;
  }
}
