// The report of one photo as the stores have it: results, packs, settings and backends, for the
// single-photo exports and the zip of the picks' reports.
import { findSalientRegions, type SalientRegion } from '../lib/colormap/regions.ts';
import type { ReportInput } from '../lib/export/report.ts';
import { withDetails } from '../../models/attributes/index.ts';
import { criticIasvitUsable, useModels } from '../state/models.ts';
import { usePhotos, type Photo } from '../state/photos.ts';
import { mapsOf } from '../state/session/paging.ts';
import { currentSettings } from '../state/settings.ts';
import { describePack } from './packInfo.ts';

/** The photo as the store has it now (the view is not redrawn for every streamed token), with its maps. */
export async function latestWithMaps(photo: Photo): Promise<Photo> {
  const latest = usePhotos.getState().photos.find((p) => p.id === photo.id) ?? photo;
  return { ...latest, ...(await mapsOf(latest)) };
}

/** The regions a report lists: the three most salient, as the photo view outlines them. */
export const reportRegions = (photo: Photo): SalientRegion[] | null =>
  photo.saliency ? findSalientRegions(photo.saliency, { count: 3 }) : null;

/**
 * What the report of a photo says, gathered from the stores (the critique as it is now); the photo
 * with its maps (`mapsOf`), as those of a photo off screen are in the session database.
 */
export function reportInput(photo: Photo, regions: SalientRegion[] | null): ReportInput {
  const models = useModels.getState();
  const packs = photo.packs ?? (models.active ? { iasm: models.active.iasm, critic: models.active.critic } : null);
  const iasm = describePack(packs?.iasm);
  const map = photo.saliency;
  const settings = currentSettings();
  return {
    fileName: photo.fileName,
    width: photo.width,
    height: photo.height,
    ...(photo.score !== undefined ? { score: photo.score } : {}),
    ...(iasm?.scoreLabel ? { scoreLabel: iasm.scoreLabel } : {}),
    critique: photo.critique,
    critiqueStopped: photo.critiqueStatus === 'stopped',
    packs: {
      iasm: iasm && { id: iasm.id, name: iasm.name, fixture: iasm.fixture },
      critic: describePack(packs?.critic),
    },
    settings: {
      colormap: settings.colormap,
      opacity: settings.opacity,
      viewMode: settings.viewMode,
      outlines: settings.outlines,
      guidance: settings.guidance,
      iasvit: settings.iasvit && (packs ? criticIasvitUsable(packs.critic) : false),
      maxNewTokens: settings.maxNewTokens,
      doSample: settings.doSample,
    },
    backends: {
      ...((photo.backend ?? models.backends.iasm) ? { iasm: photo.backend ?? models.backends.iasm } : {}),
      ...((photo.criticBackend ?? models.backends.critic)
        ? { critic: photo.criticBackend ?? models.backends.critic }
        : {}),
    },
    timings: photo.timings,
    regions:
      map && regions
        ? regions.map((r) => ({
            rank: r.rank,
            share: r.share,
            x: r.box.x0 / map.width,
            y: r.box.y0 / map.height,
            width: (r.box.x1 - r.box.x0) / map.width,
            height: (r.box.y1 - r.box.y0) / map.height,
          }))
        : [],
    ...(photo.measurement && photo.details
      ? { attributes: withDetails(photo.measurement.attributes, photo.details) }
      : {}),
    ...(photo.crops ? { crops: photo.crops } : {}),
    ...(photo.cameraData ? { camera: photo.cameraData } : {}),
    date: new Date(),
  };
}
