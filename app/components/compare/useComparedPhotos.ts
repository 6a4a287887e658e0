import { useMemo } from 'react';
import { photosToCompare, SURVEY_MAX } from '../../lib/loupe/compareSet.ts';
import { useCompare, type StudioLayout } from '../../state/compare.ts';
import { useCulling } from '../../state/culling.ts';
import { arrangeGallery, useGalleryView } from '../../state/galleryView.ts';
import { usePhotos, type Photo } from '../../state/photos.ts';

/**
 * The photos compare or survey shows: the chosen ones, else the selected and the next in the
 * gallery's order; two to compare, up to SURVEY_MAX to survey; none for the single-photo view.
 */
export function useComparedPhotos(layout: StudioLayout): Photo[] {
  const all = usePhotos((s) => s.photos);
  const selectedId = usePhotos((s) => s.selectedId);
  const chosen = useCompare((s) => s.chosen);
  const culls = useCulling((s) => s.byId);
  const sort = useGalleryView((s) => s.sort);
  const flag = useGalleryView((s) => s.flag);
  const minRating = useGalleryView((s) => s.minRating);
  const label = useGalleryView((s) => s.label);
  return useMemo(() => {
    if (layout === 'loupe') return [];
    const ordered = arrangeGallery(all, culls, { sort, flag, minRating, label });
    const byId = new Map(ordered.map((p) => [p.id, p]));
    const ids = photosToCompare(
      ordered.map((p) => p.id),
      chosen,
      selectedId,
      layout === 'compare' ? 2 : SURVEY_MAX,
    );
    return ids.map((id) => byId.get(id)!);
  }, [all, culls, sort, flag, minRating, label, selectedId, chosen, layout]);
}
