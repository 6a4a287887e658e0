// Training examples from a critique dataset (the layouts `aeslens eval` reads): one example per
// (photo, reference critique), a seeded validation split by photo, and each photo's IASM saliency
// map computed once and cached on disk as its patch-grid frame.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readRgba } from '../common/readRgba.node.ts';
import { sha256Hex } from '../common/sha256.ts';
import type { DatasetItem } from '../eval/datasets.ts';
import { mulberry32 } from '../random/mulberry32.ts';
import { saliencyFrames, WHOLE_FRAME, type SaliencyMapLike } from '../vit/pack.ts';
import type { Example } from './feeds.ts';
import type { ExampleMaker } from './examples.node.ts';
import type { ExampleSource } from './trainer.ts';

/** Longest edge a photo is read at (the critic's processor works on ≤ 2048 px). */
const MAX_EDGE = 2048;

/** Saliency map of a photo file (the IASM pack's LayerCAM heatmap). */
export type SaliencyOf = (file: string) => Promise<SaliencyMapLike>;

export interface Split {
  train: DatasetItem[];
  val: DatasetItem[];
}

/** Seeded split by photo: `fraction` of the photos (at least one when there are two or more) for validation. */
export function splitByPhoto(items: readonly DatasetItem[], fraction: number, seed: number): Split {
  const order = items.map((_, i) => i);
  const r = mulberry32(seed ^ 0x5eed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const count = fraction > 0 && items.length >= 2 ? Math.max(1, Math.round(items.length * fraction)) : 0;
  const val = new Set(order.slice(0, count));
  return { train: items.filter((_, i) => !val.has(i)), val: items.filter((_, i) => val.has(i)) };
}

/** Saliency frames on the encoder's grid, cached under `dir` by photo id. */
export function cachedSaliency(dir: string, grid: [number, number], saliencyOf: SaliencyOf) {
  return async (item: DatasetItem): Promise<Example['saliency']> => {
    const key = (await sha256Hex(new TextEncoder().encode(`${item.id}\n${grid.join('x')}`))).slice(0, 32);
    const path = join(dir, `${key}.f32`);
    const dims = [1, grid[0], grid[1]];
    if (existsSync(path)) {
      const bytes = await readFile(path);
      if (bytes.byteLength === grid[0] * grid[1] * 4)
        return {
          data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
          dims,
        };
    }
    const frame = saliencyFrames(await saliencyOf(item.image), [WHOLE_FRAME], grid);
    await mkdir(dir, { recursive: true });
    await writeFile(`${path}.tmp`, frame.data);
    await rename(`${path}.tmp`, path);
    return { data: frame.data, dims };
  };
}

/** One example per (photo, reference), photos read on demand. */
export function datasetSource(
  items: readonly DatasetItem[],
  maker: ExampleMaker,
  saliency: (item: DatasetItem) => Promise<Example['saliency']>,
): ExampleSource {
  const pairs = items.flatMap((item) => item.references.map((ref) => ({ item, ref })));
  return {
    size: pairs.length,
    async get(index) {
      const { item, ref } = pairs[index]!;
      const photo = await readRgba(item.image, { width: MAX_EDGE, height: MAX_EDGE }, 'inside').catch(
        (err: unknown) => {
          throw new Error(`cannot read image "${item.image}" of dataset item ${item.id}: ${(err as Error).message}`);
        },
      );
      return maker.make(photo, ref, await saliency(item));
    },
  };
}
