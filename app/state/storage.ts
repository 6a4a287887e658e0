// Model storage as the user sees it: usage and quota, persistence, bytes cached per pack, deleting
// a pack's files (with an undo window) and registering a model folder from disk as a pack.
import {
  criticFilesFor,
  CRITIC_PACKS,
  folderIasvit,
  IASVIT_FUSION_PATH,
  type CriticBackend,
} from '../../models/packs/critic.ts';
import { IASM_PACKS } from '../../models/packs/iasm.ts';
import type { PackBase } from '../../models/packs/types.ts';
import { derivedPackId, MODEL_CACHE, packFileUrl, TRANSFORMERS_CACHE } from '../../models/packs/urls.ts';
import type { LocalPackFiles } from '../../workers/protocol.ts';
import { useModels } from './models.ts';

const ALL_PACKS: PackBase[] = [...IASM_PACKS, ...CRITIC_PACKS];
const CACHES = [MODEL_CACHE, TRANSFORMERS_CACHE];
/** How long a deleted pack can be restored before its files are really removed. */
export const DELETE_UNDO_MS = 10_000;

/** Asks the browser not to evict our caches under storage pressure (it may say no). */
export async function requestPersistence(): Promise<boolean> {
  try {
    return (await navigator.storage?.persist?.()) ?? false;
  } catch {
    return false;
  }
}

/** The pack a cached URL belongs to: one of its files, or something built from it (`/__derived/<kind>/<id>.onnx`). */
function packOf(url: string): PackBase | undefined {
  const derived = derivedPackId(url);
  return ALL_PACKS.find((p) => p.id === derived || url.startsWith(packFileUrl(p, '')));
}

async function entrySize(response: Response): Promise<number> {
  const header = Number(response.headers.get('Content-Length'));
  return header > 0 ? header : (await response.blob()).size;
}

/** Updates usage/quota/persisted and bytes cached per pack in the models store. */
export async function refreshStorage(): Promise<void> {
  const models = useModels.getState();
  try {
    const [estimate, persisted] = await Promise.all([
      navigator.storage?.estimate?.() ?? Promise.resolve({} as StorageEstimate),
      navigator.storage?.persisted?.() ?? Promise.resolve(false),
    ]);
    models.setStorage({ usage: estimate.usage ?? 0, quota: estimate.quota ?? 0, persisted });
  } catch {
    // No StorageManager: leave the figures unknown.
  }
  const sizes: Record<string, number> = {};
  const pending = new Set(useModels.getState().pendingDeletes);
  for (const name of CACHES) {
    const cache = await caches.open(name).catch(() => undefined);
    for (const request of (await cache?.keys()) ?? []) {
      const pack = packOf(request.url);
      if (!pack || pending.has(pack.id)) continue;
      const response = await cache!.match(request);
      if (response) sizes[pack.id] = (sizes[pack.id] ?? 0) + (await entrySize(response));
    }
  }
  models.setCacheSizes(sizes);
}

/**
 * Deletes a pack's cached files after DELETE_UNDO_MS unless `undo` is called first; until then the
 * pack shows as deleted. Built graphs derived from the pack go with it.
 */
export function deletePackCache(packId: string): { undo(): void } {
  const pack = ALL_PACKS.find((p) => p.id === packId);
  if (!pack) throw new Error(`Unknown pack ${packId}`);
  useModels.setState((s) => ({ pendingDeletes: [...s.pendingDeletes, packId] }));
  void refreshStorage();
  const finish = async (): Promise<void> => {
    for (const name of CACHES) {
      const cache = await caches.open(name).catch(() => undefined);
      for (const request of (await cache?.keys()) ?? []) {
        if (packOf(request.url)?.id === pack.id) await cache!.delete(request);
      }
    }
    useModels.setState((s) => ({ pendingDeletes: s.pendingDeletes.filter((id) => id !== packId) }));
    await refreshStorage();
  };
  const timer = setTimeout(() => void finish(), DELETE_UNDO_MS);
  return {
    undo() {
      clearTimeout(timer);
      useModels.setState((s) => ({ pendingDeletes: s.pendingDeletes.filter((id) => id !== packId) }));
      void refreshStorage();
    },
  };
}

const CRITIC_BACKENDS: CriticBackend[] = ['webgpu-f16', 'webgpu', 'wasm'];

/**
 * Registers a model folder from disk as the files of the pack whose layout it matches, and says
 * which pack that is. Throws a message listing what a folder must contain when none matches.
 */
export async function loadModelFolder(files: LocalPackFiles): Promise<{ packId: string; kind: 'iasm' | 'critic' }> {
  const has = (path: string): boolean => path in files;
  const iasm = IASM_PACKS.find((p) => !p.fixture && p.files.every((f) => has(f.path)));
  const critic = CRITIC_PACKS.find((p) => !p.fixture && CRITIC_BACKENDS.some((b) => criticFilesFor(p, b).every(has)));
  const match = iasm
    ? { packId: iasm.id, kind: 'iasm' as const }
    : critic
      ? { packId: critic.id, kind: 'critic' as const }
      : null;
  if (!match) {
    const expected = [...IASM_PACKS, ...CRITIC_PACKS]
      .filter((p) => !p.fixture)
      .map(
        (p) =>
          `${p.id} (${p.kind === 'iasm' ? p.files.map((f) => f.path).join(', ') : 'config.json, tokenizer.json, onnx/…'})`,
      );
    throw new Error(
      `This folder does not match a known model pack. Expected the files of one of: ${expected.join('; ')}`,
    );
  }
  const fusion = match.kind === 'critic' ? files[IASVIT_FUSION_PATH] : undefined;
  useModels
    .getState()
    .addLocalFolder(match.packId, files, fusion ? folderIasvit(await safetensorsNames(fusion)) : undefined);
  return match;
}

/** Tensor names of a safetensors file, read from its header only (fusion files can be large). */
async function safetensorsNames(file: Blob): Promise<string[]> {
  const length = Number(new DataView(await file.slice(0, 8).arrayBuffer()).getBigUint64(0, true));
  if (!(length > 0 && length <= file.size - 8))
    throw new Error(`${IASVIT_FUSION_PATH} in this folder is not a safetensors file`);
  let header: unknown;
  try {
    header = JSON.parse(await file.slice(8, 8 + length).text());
  } catch {
    throw new Error(`${IASVIT_FUSION_PATH} in this folder has an unreadable header`);
  }
  return Object.keys(header as Record<string, unknown>).filter((k) => k !== '__metadata__');
}
