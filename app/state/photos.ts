// The photos the user added and everything computed for them. This store is the source of truth:
// actions here only change state; the analysis queue (app/analysis/queue.ts) watches the store and
// starts, cancels or restarts work to match it. Components read it with `usePhotos(selector)`.
import { create } from 'zustand';
import type { CameraData } from '../lib/intake/camera.ts';
import type { PhotoSource } from '../lib/folder/handles.ts';
import type { BackendInfo, CropSuggestionsResult, PhotoMeasurement, ScalarMap } from '../../workers/protocol.ts';
import type { AttributeDetails, AttributeFacts, ClipMask } from '../../models/attributes/index.ts';
import type { ScoredCrop } from '../../models/crops/search.ts';
import type { SniffedImage } from '../lib/intake/index.ts';
import { checkHeaders, isWanted } from './photoIntake.ts';
import { releaseThumbnail } from './thumbnails.ts';

export type PhotoStatus = 'queued' | 'analysing' | 'critiquing' | 'done' | 'failed' | 'cancelled';

/** State of a request the user started for one photo (crop suggestions, a crop's heatmap). */
export type TaskStatus = 'queued' | 'running' | 'done' | 'failed';

/** The crop being previewed, and its own score and heatmap once computed. */
export interface CropPreview {
  crop: ScoredCrop;
  status: TaskStatus;
  score?: number;
  saliency?: ScalarMap;
  error?: string;
}

/** State of the written critique, separate from the photo status so Stop/Regenerate don't touch the heatmap. */
export type CritiqueStatus = 'idle' | 'queued' | 'streaming' | 'done' | 'stopped' | 'failed';

/** What was measured for a photo, less the clipping mask and the details (kept apart: they are large and paged out). */
export type MeasuredFacts = Omit<PhotoMeasurement, 'clipMask' | 'attributes'> & { attributes: AttributeFacts };

/**
 * A photo's large data, held in memory only while it is shown (app/state/session/paging.ts): the
 * gallery, sorting, filters and stacks never read them.
 */
export const MAP_KINDS = ['saliency', 'clipMask', 'details'] as const;
export type MapKind = (typeof MAP_KINDS)[number];

/** Which of a photo's maps are stored in the session database and not held in memory. */
export type PagedMaps = Record<MapKind, boolean>;

/** A photo's large maps (those it has). */
export type PhotoMaps = Partial<Pick<Photo, MapKind>>;

/** The maps `of` gives, by kind; kinds it gives none for are left out. */
export const mapsBy = (of: (kind: MapKind) => PhotoMaps[MapKind] | undefined): PhotoMaps =>
  Object.fromEntries(MAP_KINDS.flatMap((kind) => (of(kind) ? [[kind, of(kind)]] : []))) as PhotoMaps;

/** For each kind of map, whether `test` holds. */
export const pagedBy = (test: (kind: MapKind) => boolean): PagedMaps =>
  Object.fromEntries(MAP_KINDS.map((kind) => [kind, test(kind)])) as PagedMaps;

export interface PhotoTimings {
  /** Decode + display/thumbnail bitmaps: the first decode's own time, not time waiting for it. */
  decodeMs?: number;
  /** IASM worker: resize + session run, as the worker measures it (no wait for the model or the queue). */
  analyseMs?: number;
  /** Critic worker: whole generation. */
  critiqueMs?: number;
}

export interface Photo {
  id: string;
  fileName: string;
  /** Bytes of the original file. */
  fileSize: number;
  /** The original file, kept so the photo can be decoded again (retry, display after eviction). */
  file: Blob;
  /** Where the browser lets the session keep a reference to the user's file instead of a copy. */
  source?: PhotoSource;
  /** Sniffed from the header, e.g. 'image/jpeg'; '' until sniffed. */
  mimeType: string;
  /** What the header sniff found (format, size, orientation); decoding uses it, so the header is read once. */
  header?: SniffedImage;
  status: PhotoStatus;
  /** Why the photo failed, for a role="alert" message naming the file. */
  error?: string;
  /** Non-fatal note about the input, e.g. "animated GIF: only the first frame is analysed". */
  notice?: string;
  /** Size as displayed (EXIF orientation applied), of the original before any downscale. */
  width: number;
  height: number;
  /**
   * The photo decoded at display size (longest side ≤ DISPLAY_MAX_SIDE, orientation applied).
   * Kept only for recently viewed photos (bounded memory); the analysis queue decodes it again
   * from `file` when an evicted photo is selected or analysed.
   * Owned by the store: never close it in a component.
   */
  displayBitmap?: ImageBitmap;
  /** A small JPEG thumbnail (shown through app/state/thumbnails.ts). */
  thumbnail?: Blob;
  score?: number;
  classIndex?: number;
  /** Difference hash of the photo (16 hex digits), for stacks of near-duplicates. */
  visualHash?: string;
  /** The pack's image embedding (CLIP `image_embeds`), for packs that have one. */
  embedding?: Float32Array;
  /**
   * Normalised saliency at the model input size. Held only for photos on screen or recently shown;
   * for the others it is in the session database (`paged`). Use `hasSaliency` to ask whether it exists.
   */
  saliency?: ScalarMap;
  /** Clipped pixels of the measurement (1 byte per working pixel); paged out like `saliency`. */
  clipMask?: ClipMask;
  /** The measurement's histograms and sharpness grid; paged out like `saliency`. */
  details?: AttributeDetails;
  /** Maps stored in the session database but not in memory (app/state/session/paging.ts brings them back). */
  paged?: PagedMaps;
  /** Raw LayerCAM at the target layer's grid. */
  cam?: ScalarMap;
  /** Measured attributes (full resolution, off the main thread); again with saliency once the heatmap exists. */
  measurement?: MeasuredFacts;
  /** Why the photo could not be measured. */
  measurementError?: string;
  critique: string;
  critiqueStatus: CritiqueStatus;
  critiqueError?: string;
  /** Tokens per second while the critique streams. */
  critiqueSpeed?: number;
  /** The exact text the critic was told for the critique shown. */
  criticPrompt?: string;
  timings: PhotoTimings;
  /** Backend the heatmap was computed on. */
  backend?: BackendInfo;
  criticBackend?: BackendInfo;
  /** Camera, lens and exposure from EXIF; undefined until read (an empty object when the file has none). */
  cameraData?: CameraData;
  /** Packs the results came from (for reports). */
  packs?: { iasm: string; critic: string };
  /** Crop suggestions, scored by the IASM pack that made the heatmap (asked for with suggestCrops). */
  crops?: CropSuggestionsResult;
  cropsStatus?: TaskStatus;
  cropsError?: string;
  cropPreview?: CropPreview;
}

/** Where the user removed a photo from: focus goes back there on undo. */
export type RemovedFrom = 'gallery' | 'view';

interface RemovedPhoto {
  photo: Photo;
  index: number;
  from: RemovedFrom;
}

export interface PhotosState {
  photos: Photo[];
  selectedId: string | null;
  /** Whether the user chose the selected photo (else it is the first one added, shown by default). */
  selectedByUser: boolean;
  /** Photos the user removed, latest last: `undoRemove` restores them one by one until `forgetRemoved`. */
  removed: RemovedPhoto[];

  /**
   * Adds files (picker, drop, paste, folder; or files of a folder opened by handle, with their path
   * and source). Non-image files in a folder are skipped silently; other bad input fails with a message.
   */
  addFiles(files: Iterable<File | ReferencedFile>): Promise<void>;
  select(id: string | null): void;
  /** Removes a photo, undoably. */
  remove(id: string, from?: RemovedFrom): void;
  /** Drops the messages about refused files (and the files): not undoable, and it leaves the undo stack alone. */
  dismiss(ids: readonly string[]): void;
  /** Puts the last removed photo back where it was and selects it; says which and where it was removed from. */
  undoRemove(): { id: string; from: RemovedFrom } | undefined;
  /** Empties the undo stack and frees what the removed photos held. */
  forgetRemoved(): void;
  /** Stops the photo's analysis and critique now; results computed so far are kept. */
  cancel(id: string): void;
  /** Analyses a failed or cancelled photo again. */
  retry(id: string): void;
  /** Writes the critique again (same heatmap). */
  regenerateCritique(id: string): void;
  /** Stops the streaming critique, keeping the text so far. */
  stopCritique(id: string): void;
  /** Scores crops of an analysed photo (the queue runs it); again after a failure. */
  suggestCrops(id: string): void;
  /** Previews a suggested crop with its own heatmap (computed by the queue), or closes the preview. */
  previewCrop(id: string, crop: ScoredCrop | null): void;
  /** Puts photos of a stored session back before any added since the page loaded. */
  restore(photos: readonly Photo[], selectedId: string | null): void;
  /** Internal: the queue and intake report progress through this. */
  update(id: string, patch: Partial<Photo>): void;
}

/** A file of a folder opened by handle: its path from the folder's name, and the handles kept. */
export interface ReferencedFile {
  file: File;
  path: string;
  source: PhotoSource;
}

/**
 * A random id, unique across visits and sessions: a photo added while a stored session is still being
 * read can never take the id of one of its photos.
 */
const newPhotoId = (): string =>
  `p-${Array.from(crypto.getRandomValues(new Uint8Array(9)), (b) => b.toString(16).padStart(2, '0')).join('')}`;

/** Releases what a photo holds in memory (its bitmap and thumbnail URL) once it is gone for good. */
export function freePhoto(photo: Photo): void {
  photo.displayBitmap?.close();
  releaseThumbnail(photo.thumbnail);
}

export const usePhotos = create<PhotosState>()((set, get) => ({
  photos: [],
  selectedId: null,
  selectedByUser: false,
  removed: [],

  async addFiles(files) {
    const entries = [...files].map((f) =>
      f instanceof File ? { file: f, path: f.webkitRelativePath || '', source: undefined } : f,
    );
    const added: Photo[] = entries
      .filter(({ file, path }) => isWanted(file, path !== ''))
      .map(({ file, path, source }) => ({
        id: newPhotoId(),
        fileName: path || file.name || 'pasted image',
        fileSize: file.size,
        file,
        ...(source ? { source } : {}),
        mimeType: '',
        status: 'queued',
        width: 0,
        height: 0,
        critique: '',
        critiqueStatus: 'idle',
        timings: {},
      }));
    if (added.length === 0) return;
    set((s) => ({ photos: [...s.photos, ...added], selectedId: s.selectedId ?? added[0]!.id }));
    await checkHeaders(added, (batch) =>
      set((st) => ({ photos: st.photos.map((q) => (batch.has(q.id) ? { ...q, ...batch.get(q.id) } : q)) })),
    );
  },

  select(id) {
    set({ selectedId: id, selectedByUser: true });
  },

  remove(id, from = 'gallery') {
    const { photos, selectedId, removed } = get();
    const index = photos.findIndex((p) => p.id === id);
    const photo = photos[index];
    if (!photo) return;
    const rest = photos.filter((p) => p.id !== id);
    const nextSelected = selectedId === id ? (rest[Math.min(index, rest.length - 1)]?.id ?? null) : selectedId;
    const active = photo.status === 'queued' || photo.status === 'analysing' || photo.status === 'critiquing';
    // A removed photo stops its work; undo puts it back queued so it is analysed again.
    const kept: Photo = active ? { ...photo, status: 'cancelled' } : photo;
    set({ photos: rest, selectedId: nextSelected, removed: [...removed, { photo: kept, index, from }] });
  },

  dismiss(ids) {
    const { photos, selectedId } = get();
    const gone = new Set(ids);
    const rest = photos.filter((p) => !gone.has(p.id));
    for (const p of photos) if (gone.has(p.id)) freePhoto(p);
    const nextSelected = selectedId && gone.has(selectedId) ? (rest[0]?.id ?? null) : selectedId;
    set({ photos: rest, selectedId: nextSelected });
  },

  undoRemove() {
    const { removed, photos } = get();
    const last = removed[removed.length - 1];
    if (!last) return undefined;
    const { photo, index, from } = last;
    const restored: Photo = photo.status === 'cancelled' ? { ...photo, status: 'queued' } : photo;
    const next = [...photos];
    next.splice(Math.min(index, next.length), 0, restored);
    set({ photos: next, removed: removed.slice(0, -1), selectedId: restored.id });
    return { id: restored.id, from };
  },

  forgetRemoved() {
    const { removed } = get();
    if (removed.length === 0) return;
    for (const r of removed) freePhoto(r.photo);
    set({ removed: [] });
  },

  cancel(id) {
    const p = get().photos.find((q) => q.id === id);
    if (!p || !canCancel(p)) return;
    if (p.status === 'queued' || p.status === 'analysing') get().update(id, { status: 'cancelled' });
    else if (p.status === 'critiquing') get().update(id, { status: 'done', critiqueStatus: 'stopped' });
  },

  retry(id) {
    const p = get().photos.find((q) => q.id === id);
    if (!p || !canRetry(p)) return;
    get().update(id, { status: 'queued', error: undefined, critique: '', critiqueStatus: 'idle' });
  },

  regenerateCritique(id) {
    const p = get().photos.find((q) => q.id === id);
    if (!p || !hasSaliency(p) || p.critiqueStatus === 'streaming' || p.critiqueStatus === 'queued') return;
    get().update(id, { critique: '', critiqueStatus: 'queued', critiqueError: undefined });
  },

  stopCritique(id) {
    const p = get().photos.find((q) => q.id === id);
    if (!p) return;
    if (p.critiqueStatus === 'streaming' || p.critiqueStatus === 'queued') {
      get().update(id, { critiqueStatus: 'stopped', ...(p.status === 'critiquing' ? { status: 'done' } : {}) });
    }
  },

  suggestCrops(id) {
    const p = get().photos.find((q) => q.id === id);
    if (!p || !hasSaliency(p) || p.cropsStatus === 'queued' || p.cropsStatus === 'running') return;
    get().update(id, { cropsStatus: 'queued', cropsError: undefined });
  },

  previewCrop(id, crop) {
    get().update(id, { cropPreview: crop ? { crop, status: 'queued' } : undefined });
  },

  restore(restored, selectedId) {
    set((s) => {
      const photos = [...restored, ...s.photos.filter((p) => !restored.some((r) => r.id === p.id))];
      if (s.selectedId) return { photos };
      const kept = restored.some((p) => p.id === selectedId);
      return {
        photos,
        selectedId: kept ? selectedId : (restored[0]?.id ?? null),
        // The photo the user had open before the reload is theirs again.
        selectedByUser: kept,
      };
    });
  },

  update(id, patch) {
    set((s) => ({ photos: s.photos.map((p) => (p.id === id ? { ...p, ...patch } : p)) }));
  },
}));

/** Whether the photo has a heatmap, in memory or paged out to the session database. */
export const hasSaliency = (p: Photo): boolean => p.saliency !== undefined || p.paged?.saliency === true;

/** Whether the photo's maps are on their way back from the session database. */
export const mapsPagedOut = (p: Photo): boolean => MAP_KINDS.some((kind) => p.paged?.[kind] === true);

/** Whether the photo's analysis or critique is waiting or running, so it can be cancelled. */
export const canCancel = (p: Photo): boolean =>
  p.status === 'queued' || p.status === 'analysing' || p.status === 'critiquing';

/** Whether the photo can be analysed again: cancelled, or failed after its header was accepted (bad input stays failed). */
export const canRetry = (p: Photo): boolean => p.status === 'cancelled' || (p.status === 'failed' && p.mimeType !== '');

/** The selected photo, or undefined. */
export const selectSelectedPhoto = (s: PhotosState): Photo | undefined => s.photos.find((p) => p.id === s.selectedId);
