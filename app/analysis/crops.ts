// Crop work for the analysis queue: suggestions (the IASM worker scores the candidates with the
// pack's forward-only graph) and the heatmap of one crop (the IASM graph run on the crop alone).
import type { ScoredCrop } from '../../models/crops/search.ts';
import { usePhotos, type Photo } from '../state/photos.ts';
import { mapsOf } from '../state/session/paging.ts';
import { isCancelled } from '../../workers/client.ts';
import { messageOf } from '../../models/common/errors.ts';
import type { IasmClient } from './workerClients.ts';
import type { PackRef, ScalarMap } from '../../workers/protocol.ts';

/** The crop of the display bitmap, which covers the photo's width×height at its own scale. */
export function cropOfDisplay(display: ImageBitmap, photo: Pick<Photo, 'width' | 'height'>, crop: ScoredCrop) {
  const sx = display.width / photo.width;
  const sy = display.height / photo.height;
  const x = Math.round(crop.x * sx);
  const y = Math.round(crop.y * sy);
  const width = Math.max(1, Math.round((crop.x + crop.width) * sx) - x);
  const height = Math.max(1, Math.round((crop.y + crop.height) * sy) - y);
  return createImageBitmap(display, x, y, width, height);
}

export function requestCropSuggestions(
  iasm: IasmClient,
  pack: PackRef,
  photo: Photo,
  saliency: ScalarMap,
  display: () => Promise<ImageBitmap>,
  signal: AbortSignal,
) {
  const build = async () => {
    const image = await createImageBitmap(await display());
    const body = {
      pack,
      image,
      photoWidth: photo.width,
      photoHeight: photo.height,
      saliency: { data: saliency.data.slice(), width: saliency.width, height: saliency.height },
    };
    return { body, transfer: [image] };
  };
  return build().then(({ body, transfer }) => iasm.request('crops', body, { signal, transfer, rebuild: build }));
}

/** The crop analysed as a photo of its own: its score and heatmap. */
export function requestCropAnalysis(
  iasm: IasmClient,
  pack: PackRef,
  photo: Photo,
  crop: ScoredCrop,
  display: () => Promise<ImageBitmap>,
  signal: AbortSignal,
) {
  const build = async () => {
    const image = await cropOfDisplay(await display(), photo, crop);
    return { body: { pack, image }, transfer: [image] };
  };
  return build().then(({ body, transfer }) => iasm.request('analyse', body, { signal, transfer, rebuild: build }));
}

/** Runs the crop work the photo asks for (suggestions, else its crop preview) and records the outcome. */
export async function runCropJob(
  iasm: IasmClient,
  pack: PackRef,
  photo: Photo,
  display: () => Promise<ImageBitmap>,
  signal: AbortSignal,
): Promise<void> {
  const { update } = usePhotos.getState();
  const current = () => usePhotos.getState().photos.find((p) => p.id === photo.id);
  const preview = photo.cropsStatus === 'queued' ? undefined : photo.cropPreview;
  try {
    if (!preview) {
      update(photo.id, { cropsStatus: 'running' });
      const { saliency } = await mapsOf(photo);
      if (!saliency) throw new Error(`The heatmap of ${photo.fileName} could not be read back`);
      const crops = await requestCropSuggestions(iasm, pack, photo, saliency, display, signal);
      if (!signal.aborted) update(photo.id, { crops, cropsStatus: 'done' });
    } else {
      update(photo.id, { cropPreview: { ...preview, status: 'running' } });
      const r = await requestCropAnalysis(iasm, pack, photo, preview.crop, display, signal);
      if (!signal.aborted && current()?.cropPreview?.crop === preview.crop)
        update(photo.id, { cropPreview: { ...preview, status: 'done', score: r.score, saliency: r.saliency } });
    }
  } catch (err) {
    if (!current() || signal.aborted || isCancelled(err)) return;
    if (!preview) update(photo.id, { cropsStatus: 'failed', cropsError: messageOf(err) });
    else if (current()?.cropPreview?.crop === preview.crop)
      update(photo.id, { cropPreview: { ...preview, status: 'failed', error: messageOf(err) } });
  }
}
