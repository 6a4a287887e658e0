// Which model packs are active, how the user chose them (URL, first-run panel, remembered), download progress,
// cache sizes, storage quota and the backend each worker runs on.
import { create } from 'zustand';
import { iasvitStatus, type CriticIasVit, type CriticPack } from '../../models/packs/critic.ts';
import { findCriticPack } from '../../models/packs/registry.ts';
import type { BackendInfo, LocalPackFiles, Progress } from '../../workers/protocol.ts';

/** How the active selection came about. */
export type SelectionOrigin =
  /** `?packs=` in the URL: no panel, not remembered. */
  | 'url'
  /** Chosen earlier and remembered in localStorage. */
  | 'remembered'
  /** Chosen in the first-run panel just now. */
  | 'chosen';

export interface ActivePacks {
  /** IASM pack id, e.g. 'laion-clip-b16' or 'fixture-clip'. */
  iasm: string;
  /** Critic pack id, e.g. 'smolvlm-256m' or 'fixture-smolvlm'. */
  critic: string;
  /** True when either pack is a generated fixture: the demo banner is shown. */
  demo: boolean;
  origin: SelectionOrigin;
}

/**
 * Where the first-run flow stands:
 * - 'resolving': reading the URL, localStorage and caches;
 * - 'choose': nothing chosen or cached; the panel asks before downloading anything large;
 * - 'host-unreachable': the model host cannot be reached and nothing real is cached; the panel offers demo models;
 * - 'dismissed': the panel was closed without a choice; the header offers it again;
 * - 'ready': packs are active.
 */
export type FirstRunState = 'resolving' | 'choose' | 'host-unreachable' | 'dismissed' | 'ready';

export interface FileDownload {
  packId: string;
  /** Path inside the pack. */
  file: string;
  loaded: number;
  /** 0 when unknown. */
  total: number;
  done: boolean;
}

export interface StorageEstimate {
  usage: number;
  quota: number;
  persisted: boolean;
}

export interface ModelsState {
  active: ActivePacks | null;
  firstRun: FirstRunState;
  /** Why the URL's `?packs=` or the remembered choice was not usable, shown to the user. */
  selectionError?: string;
  /** Why the model host is unreachable, when firstRun is 'host-unreachable'. */
  hostError?: string;
  /** The demo packs' files are all on this device (the app's offline copy), so they work without a network. */
  demoCached: boolean;
  /** Per-file download progress, keyed `${packId}/${file}`. */
  downloads: Record<string, FileDownload>;
  /** Bytes cached per pack id (Cache Storage). */
  cacheSizes: Record<string, number>;
  storage: StorageEstimate | null;
  /** Backend each worker runs on, once its session exists. */
  backends: { iasm?: BackendInfo; critic?: BackendInfo };
  /** The pack each worker failed to load (cleared once its session exists), so nothing says "Preparing" for it. */
  loadFailed: { iasm?: string; critic?: string };
  /** Packs the user loaded from a folder on disk, by pack id. Not persisted (files are not kept). */
  localFolders: Record<string, LocalPackFiles>;
  /** IAS-ViT fusion weights a loaded critic folder brings (iasvit/fusion.safetensors), by pack id. */
  localIasvit: Record<string, CriticIasVit>;
  /** Packs whose cached files are deleted once the undo window passes (app/state/storage.ts deletePackCache). */
  pendingDeletes: string[];
  /** Why downloaded models could not be stored for offline use (they still work), until dismissed. */
  storageNotice: string | null;

  /** Internal (app/state/packs.ts drives these). */
  setActive(active: ActivePacks | null): void;
  setFirstRun(
    state: FirstRunState,
    detail?: { hostError?: string; selectionError?: string; demoCached?: boolean },
  ): void;
  reportProgress(packId: string, progress: Progress): void;
  setBackend(worker: 'iasm' | 'critic', info: BackendInfo): void;
  setLoadFailed(worker: 'iasm' | 'critic', packId: string): void;
  setCacheSizes(sizes: Record<string, number>): void;
  setStorage(estimate: StorageEstimate): void;
  addLocalFolder(packId: string, files: LocalPackFiles, iasvit?: CriticIasVit): void;
  setStorageNotice(notice: string | null): void;
}

export const useModels = create<ModelsState>()((set) => ({
  active: null,
  firstRun: 'resolving',
  demoCached: false,
  downloads: {},
  cacheSizes: {},
  storage: null,
  backends: {},
  loadFailed: {},
  localFolders: {},
  localIasvit: {},
  pendingDeletes: [],
  storageNotice: null,

  setActive(active) {
    set({ active, ...(active ? { firstRun: 'ready', hostError: undefined } : {}) });
  },
  setFirstRun(firstRun, detail) {
    set({
      firstRun,
      hostError: detail?.hostError,
      selectionError: detail?.selectionError,
      demoCached: detail?.demoCached ?? false,
    });
  },
  reportProgress(packId, progress) {
    if (progress.stage !== 'download') return;
    const key = `${packId}/${progress.file}`;
    const done = progress.total > 0 && progress.loaded >= progress.total;
    set((s) => ({
      downloads: {
        ...s.downloads,
        [key]: { packId, file: progress.file, loaded: progress.loaded, total: progress.total, done },
      },
    }));
  },
  setStorageNotice(storageNotice) {
    set({ storageNotice });
  },
  setBackend(worker, info) {
    set((s) => ({ backends: { ...s.backends, [worker]: info }, loadFailed: { ...s.loadFailed, [worker]: undefined } }));
  },
  setLoadFailed(worker, packId) {
    set((s) => ({ loadFailed: { ...s.loadFailed, [worker]: packId } }));
  },
  setCacheSizes(cacheSizes) {
    set({ cacheSizes });
  },
  setStorage(storage) {
    set({ storage });
  },
  addLocalFolder(packId, files, iasvit) {
    set((s) => {
      const others = Object.fromEntries(Object.entries(s.localIasvit).filter(([id]) => id !== packId));
      return {
        localFolders: { ...s.localFolders, [packId]: files },
        localIasvit: iasvit ? { ...others, [packId]: iasvit } : others,
      };
    });
  },
}));

/** Sum of per-file download progress for a pack (or all packs): bytes loaded and total. */
export function downloadTotals(
  downloads: Record<string, FileDownload>,
  packId?: string,
): { loaded: number; total: number } {
  let loaded = 0;
  let total = 0;
  for (const d of Object.values(downloads)) {
    if (packId && d.packId !== packId) continue;
    loaded += d.loaded;
    total += d.total;
  }
  return { loaded, total };
}

/** A critic pack as this session uses it: with the IAS-ViT fusion weights a loaded model folder brings. */
export function effectiveCriticPack(
  id: string,
  localIasvit: Record<string, CriticIasVit> = useModels.getState().localIasvit,
): CriticPack | undefined {
  const pack = findCriticPack(id);
  const local = localIasvit[id];
  return pack && local ? { ...pack, iasvit: local } : pack;
}

/** Whether the IAS-ViT encoder can be offered for the critic pack `id` in this session. */
export function criticIasvitUsable(id: string): boolean {
  const pack = effectiveCriticPack(id);
  return pack ? iasvitStatus(pack).usable : false;
}
