// The current evaluation run's per-photo results, kept in step with the studio photos they read.
import { useMemo } from 'react';
import { photoResult, type EvalPhotoResult } from '../../lib/evaluate/results.ts';
import { useEvaluation } from '../../state/evaluation.ts';
import { usePhotos } from '../../state/photos.ts';

export function useRunResults(): EvalPhotoResult[] {
  const run = useEvaluation((s) => s.run);
  const photos = usePhotos((s) => s.photos);
  return useMemo(() => {
    if (!run) return [];
    const byId = new Map(photos.map((p) => [p.id, p]));
    return run.entries.map((e) => photoResult(e, byId.get(e.photoId)));
  }, [run, photos]);
}
