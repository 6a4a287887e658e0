// "Clear session": every photo and cull goes at once, and comes back with Undo until it is forgotten.
import { create } from 'zustand';
import { useCulling } from '../culling.ts';
import { freePhoto, usePhotos, type Photo } from '../photos.ts';
import type { Cull } from '../../lib/cull/types.ts';
import type { StoredPhoto } from './db.ts';
import { useFolderAccess } from './folderAccess.ts';
import { resumed } from './records.ts';

export interface ClearedSession {
  photos: Photo[];
  /** Stored photos that were waiting for permission to read their folder. */
  waiting: StoredPhoto[];
  selectedId: string | null;
  culls: Record<string, Cull>;
}

/** The last cleared session while Undo is offered. */
export const useCleared = create<{ cleared: ClearedSession | null }>()(() => ({ cleared: null }));

/** Frees the cleared photos' memory: Undo is no longer offered. */
export function forgetCleared(): void {
  const { cleared } = useCleared.getState();
  if (!cleared) return;
  for (const p of cleared.photos) freePhoto(p);
  useCleared.setState({ cleared: null });
}

/** Empties the session (work in progress stops, photos waiting for their folder go too); Undo brings it back. */
export function clearSession(): void {
  const { photos, selectedId, forgetRemoved } = usePhotos.getState();
  const { waiting } = useFolderAccess.getState();
  if (photos.length === 0 && waiting.length === 0) return;
  forgetRemoved();
  forgetCleared();
  useCleared.setState({ cleared: { photos, waiting, selectedId, culls: useCulling.getState().byId } });
  useFolderAccess.setState({ waiting: [] });
  usePhotos.setState({ photos: [], selectedId: null, selectedByUser: false });
  useCulling.getState().replaceAll({});
}

/** Puts the cleared session back (before photos added since); interrupted work starts again. */
export function undoClear(): void {
  const { cleared } = useCleared.getState();
  if (!cleared) return;
  usePhotos.setState((s) => ({
    photos: [...cleared.photos.map(resumed), ...s.photos],
    selectedId: cleared.selectedId ?? s.selectedId,
  }));
  useFolderAccess.setState((s) => ({ waiting: [...cleared.waiting, ...s.waiting] }));
  useCulling.getState().replaceAll({ ...cleared.culls, ...useCulling.getState().byId });
  useCleared.setState({ cleared: null });
}
