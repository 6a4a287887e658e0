// The Evaluate view's state: the picked photos and references, and the current run. A run adds
// its photos to the studio's photos store, so the app's one analysis queue runs them through the
// same IASM and critic workers as any photo (and the studio shows their heatmaps); the run only
// remembers which studio photo belongs to which reference set.
import { create } from 'zustand';
import { usePhotos } from './photos.ts';
import { criticIasvitUsable, useModels } from './models.ts';
import { currentSettings } from './settings.ts';
import { noteText, unscoredNotes } from '../lib/evaluate/notes.ts';
import { matchPhotos, parseReferences, type References } from '../lib/evaluate/references.ts';
import { messageOf } from '../../models/common/errors.ts';

export interface RunEntry {
  /** Studio photo id. */
  photoId: string;
  /** Reference id. */
  id: string;
  fileName: string;
  references: string[];
}

export interface EvaluationRun {
  entries: RunEntry[];
  references: { source: string; format: string };
  packs: { iasm: string; critic: string } | null;
  /** A demo (fixture) pack was active: the results are not meaningful. */
  demo: boolean;
  settings: { guidance: boolean; iasvit: boolean; maxNewTokens: number; doSample: boolean };
  /** What the run left out of the scoring, as the view said it. */
  notes: string[];
  startedAt: string;
}

export interface EvaluationState {
  photos: File[];
  references: References | null;
  /** Why the picked references file could not be used. */
  referencesError: string | null;
  run: EvaluationRun | null;

  /** Replaces the picked photos (images only; other files of a folder are skipped). */
  setPhotos(files: readonly File[]): void;
  /** Reads and checks a references file. */
  setReferencesFile(file: File): Promise<void>;
  /** Sorts dropped files into photos and a references file. */
  addDropped(files: readonly File[]): Promise<void>;
  /** Starts a run over the photos that have references. */
  start(): void;
  /** Forgets the run (its photos stay in the studio). */
  clearRun(): void;
}

const IMAGE_NAME = /\.(jpe?g|jfif|png|apng|gif|webp|avif|bmp)$/i;
const REFERENCES_NAME = /\.jsonl?$/i;
const isImage = (f: File): boolean =>
  !f.name.startsWith('.') && (IMAGE_NAME.test(f.name) || f.type.startsWith('image/'));

export const useEvaluation = create<EvaluationState>()((set, get) => ({
  photos: [],
  references: null,
  referencesError: null,
  run: null,

  setPhotos(files) {
    set({ photos: files.filter(isImage) });
  },

  async setReferencesFile(file) {
    try {
      set({ references: parseReferences(await file.text(), file.name), referencesError: null });
    } catch (err) {
      set({ references: null, referencesError: messageOf(err) });
    }
  },

  async addDropped(files) {
    const refs = files.filter((f) => REFERENCES_NAME.test(f.name));
    const images = files.filter(isImage);
    if (images.length > 0) get().setPhotos(images);
    if (refs.length > 1) {
      set({ referencesError: `Drop one references file, not ${refs.length}: ${refs.map((f) => f.name).join(', ')}` });
    } else if (refs[0]) {
      await get().setReferencesFile(refs[0]);
    }
  },

  start() {
    const { photos, references } = get();
    if (!references) return;
    const match = matchPhotos(photos, references.items);
    const { matched } = match;
    if (matched.length === 0) return;
    const files = matched.map((m) => m.file);
    void usePhotos.getState().addFiles(files);
    // addFiles puts every photo in the store before its first await; photos keep their File.
    const byFile = new Map(usePhotos.getState().photos.map((p) => [p.file, p.id]));
    const entries = matched.flatMap((m): RunEntry[] => {
      const photoId = byFile.get(m.file);
      return photoId ? [{ photoId, id: m.item.id, fileName: m.fileName, references: m.item.references }] : [];
    });
    const active = useModels.getState().active;
    const { guidance, iasvit: iasvitOn, maxNewTokens, doSample } = currentSettings();
    const iasvit = iasvitOn && (active ? criticIasvitUsable(active.critic) : false);
    set({
      run: {
        entries,
        references: { source: references.source, format: references.format },
        packs: active ? { iasm: active.iasm, critic: active.critic } : null,
        demo: active?.demo ?? false,
        settings: { guidance, iasvit, maxNewTokens, doSample },
        notes: unscoredNotes(match, references.source, photos.length).map(noteText),
        startedAt: new Date().toISOString(),
      },
    });
  },

  clearRun() {
    set({ run: null });
  },
}));
