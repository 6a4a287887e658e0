// Where the Node entry points (`aeslens critique`, `aeslens eval`) get pack files from: Hub packs
// from the Hub, fixture packs from public/models/fixture (written by `npm run fixtures`) or, when that
// is absent, from their generators in memory, and model folders from disk.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FIXTURES } from '../fixtures/index.ts';
import type { CriticPack } from '../packs/critic.ts';
import type { IasmPack } from '../packs/iasm.ts';
import type { FileSource } from './types.ts';
import { messageOf } from '../common/errors.ts';

/** Where the web app serves generated fixture packs from (relative to the working directory). */
export const FIXTURE_DIR = resolve('public/models/fixture');

/** Reads one file of a pack by its path inside the pack. */
export type PackFileRead = (path: string) => Promise<Uint8Array>;

/** A pack that only the web app serves and that no generator writes: a user mistake. */
export class PackSourceError extends Error {
  override readonly name = 'PackSourceError';
}

async function generated(id: string): Promise<Record<string, Uint8Array>> {
  const generate = FIXTURES[id];
  if (!generate) throw new PackSourceError(`pack ${id} is only served by the web app; run \`npm run fixtures\``);
  return generate();
}

/** A model folder on disk, as a critic file source (with `read`, which IAS-ViT needs). */
export function directorySource(path: string): FileSource {
  const dir = resolve(path);
  return { type: 'directory', path: dir, read: async (file) => new Uint8Array(await readFile(join(dir, file))) };
}

/** The critic's file source in Node: undefined (the pack's own Hub source) except for fixture packs. */
export async function criticFileSource(pack: CriticPack): Promise<FileSource | undefined> {
  if (pack.source.type !== 'origin') return undefined;
  const dir = join(FIXTURE_DIR, pack.modelId);
  if (existsSync(join(dir, 'config.json'))) return directorySource(dir);
  const files = await generated(pack.id);
  return { type: 'files', files: new Map(Object.entries(files)), label: `the generated ${pack.id}` };
}

/** Reads an IASM pack's files: from the Hub at its pinned revision, or the fixture folder / generator. */
export async function iasmFileReader(pack: IasmPack): Promise<PackFileRead> {
  if (pack.source.type === 'hub') {
    const { repo, revision } = pack.source;
    return async (path) => {
      const url = `https://huggingface.co/${repo}/resolve/${revision}/${path}`;
      const response = await fetch(url).catch((err: unknown) => {
        throw new Error(
          `The model host huggingface.co cannot be reached to download ${pack.name} (${messageOf(err)}). ` +
            'Use --pack fixture offline.',
        );
      });
      if (!response.ok) throw new Error(`Cannot download ${url}: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    };
  }
  const dir = join(FIXTURE_DIR, pack.id);
  if (existsSync(dir)) return async (path) => new Uint8Array(await readFile(join(dir, path)));
  const files = await generated(pack.id);
  return async (path) => {
    const bytes = files[path];
    if (!bytes) throw new Error(`the ${pack.id} generator wrote no ${path}`);
    return bytes;
  };
}
