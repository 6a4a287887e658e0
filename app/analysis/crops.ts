// Crop work for the analysis queue: suggestions (the IASM worker scores the candidates with the
// pack's forward-only graph) and the heatmap of one crop (the IASM graph run on the crop alone).
import type { ScoredCrop } from '../../models/crops/search.ts';
import type { Photo } from '../state/photos.ts';
import type { IasmClient } from './queue.ts';
import type { PackRef } from '../../workers/protocol.ts';

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
  display: () => Promise<ImageBitmap>,
  signal: AbortSignal,
) {
  const saliency = photo.saliency!;
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
