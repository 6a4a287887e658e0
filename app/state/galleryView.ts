// How the gallery is sorted and filtered; remembered in localStorage.
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { arrangePhotos, DEFAULT_VIEW, type Arrangeable, type GalleryView } from '../lib/cull/arrange.ts';
import type { Cull } from '../lib/cull/types.ts';
import type { Photo } from './photos.ts';

export interface GalleryViewState extends GalleryView {
  /** Only the best photo of each stack of near-duplicates, and the photos alone. */
  bestOnly: boolean;
  setView(patch: Partial<GalleryView & { bestOnly: boolean }>): void;
}

export const useGalleryView = create<GalleryViewState>()(
  persist((set) => ({ ...DEFAULT_VIEW, bestOnly: false, setView: (patch) => set(patch) }), {
    name: 'aeslens-gallery-view',
    version: 1,
    storage: createJSONStorage(() => localStorage),
  }),
);

/** Each file's date, read once: a file read back from the session database answers slowly. */
const fileDates = new WeakMap<Blob, number | undefined>();

function fileDate(file: Blob): number | undefined {
  if (!fileDates.has(file)) fileDates.set(file, file instanceof File ? file.lastModified : undefined);
  return fileDates.get(file);
}

/** When the photo was taken: the camera's date when read, else the file's. */
export function photoDate(photo: Photo): number | undefined {
  return photo.cameraData?.takenAt ?? fileDate(photo.file);
}

type Key = Arrangeable & { photo: Photo };

/** Each photo's sort keys, made once per version of the photo (most don't change between arrangements). */
const keys = new WeakMap<Photo, Key>();

function keyOf(photo: Photo): Key {
  let key = keys.get(photo);
  if (!key) {
    const takenAt = photoDate(photo);
    key = {
      id: photo.id,
      photo,
      ...(photo.score !== undefined ? { score: photo.score } : {}),
      ...(photo.measurement ? { clippedHighlights: photo.measurement.attributes.exposure.clippedHighlights } : {}),
      ...(takenAt !== undefined ? { takenAt } : {}),
    };
    keys.set(photo, key);
  }
  return key;
}

/** The photos the gallery shows, in its order. */
export function arrangeGallery(
  photos: readonly Photo[],
  culls: Readonly<Record<string, Cull>>,
  view: GalleryView,
): Photo[] {
  return arrangePhotos(photos.map(keyOf), culls, view).map((k) => k.photo);
}
