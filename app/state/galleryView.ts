// How the gallery is sorted and filtered; remembered in localStorage.
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { arrangePhotos, DEFAULT_VIEW, type GalleryView } from '../lib/cull/arrange.ts';
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

/** When the photo was taken: the camera's date when read, else the file's. */
export function photoDate(photo: Photo): number | undefined {
  return photo.cameraData?.takenAt ?? (photo.file instanceof File ? photo.file.lastModified : undefined);
}

/** The photos the gallery shows, in its order. */
export function arrangeGallery(
  photos: readonly Photo[],
  culls: Readonly<Record<string, Cull>>,
  view: GalleryView,
): Photo[] {
  const byId = new Map(photos.map((p) => [p.id, p]));
  const keys = photos.map((p) => ({
    id: p.id,
    ...(p.score !== undefined ? { score: p.score } : {}),
    ...(p.measurement ? { clippedHighlights: p.measurement.attributes.exposure.clippedHighlights } : {}),
    ...(photoDate(p) !== undefined ? { takenAt: photoDate(p) } : {}),
  }));
  return arrangePhotos(keys, culls, view).map((k) => byId.get(k.id)!);
}
