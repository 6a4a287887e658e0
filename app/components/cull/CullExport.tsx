import { strToU8, zipSync } from 'fflate';
import { resultsCsv } from '../../lib/export/csv.ts';
import { describeCamera } from '../../lib/intake/camera.ts';
import { downloadBlob } from '../../lib/export/download.ts';
import { picksArchive } from '../../lib/export/picksArchive.ts';
import { sidecarNames, xmpSidecar } from '../../lib/export/xmp.ts';
import { cullOf, useCulling } from '../../state/culling.ts';
import { arrangeGallery, photoDate, useGalleryView } from '../../state/galleryView.ts';
import { usePhotos, type Photo } from '../../state/photos.ts';
import { mapsOf } from '../../state/session/paging.ts';
import { reportInput, reportRegions } from '../reportInput.ts';

/** Every photo in the gallery's order (the filter aside: exports cover the whole session). */
function sessionPhotos(): Photo[] {
  const { sort } = useGalleryView.getState();
  return arrangeGallery(usePhotos.getState().photos, useCulling.getState().byId, {
    sort,
    flag: 'all',
    minRating: 0,
    label: 'any',
  });
}

function exportSidecars(): void {
  const photos = sessionPhotos();
  const culls = useCulling.getState().byId;
  const names = sidecarNames(photos.map((p) => p.fileName));
  const files = Object.fromEntries(photos.map((p, i) => [names[i]!, strToU8(xmpSidecar(cullOf(culls, p.id)))]));
  downloadBlob(new Blob([zipSync(files)], { type: 'application/zip' }), 'aeslens-sidecars.zip');
}

async function exportPicksReports(): Promise<void> {
  const culls = useCulling.getState().byId;
  const picks = await Promise.all(
    sessionPhotos()
      .filter((p) => cullOf(culls, p.id).flag === 'pick')
      .map(async (p) => {
        // A pick off screen has its heatmap in the session database: the regions are read from there.
        const withMap = { ...p, ...(await mapsOf(p)) };
        return {
          fileName: p.fileName,
          cull: cullOf(culls, p.id),
          report: reportInput(withMap, reportRegions(withMap)),
        };
      }),
  );
  if (picks.length === 0) return;
  downloadBlob(new Blob([picksArchive(picks)], { type: 'application/zip' }), 'aeslens-picks-reports.zip');
}

function exportCsv(): void {
  const culls = useCulling.getState().byId;
  const csv = resultsCsv(
    sessionPhotos().map((p) => {
      const exposure = p.measurement?.attributes.exposure;
      const taken = photoDate(p);
      return {
        fileName: p.fileName,
        status: p.status,
        ...(p.score !== undefined ? { score: p.score } : {}),
        cull: cullOf(culls, p.id),
        ...(exposure ? { clippedHighlights: exposure.clippedHighlights, clippedShadows: exposure.clippedShadows } : {}),
        width: p.width,
        height: p.height,
        ...(p.cameraData && describeCamera(p.cameraData) ? { camera: describeCamera(p.cameraData) } : {}),
        ...(taken !== undefined ? { takenAt: new Date(taken).toISOString() } : {}),
        critique: p.critique,
      };
    }),
  );
  downloadBlob(new Blob([csv], { type: 'text/csv' }), 'aeslens-results.csv');
}

/**
 * Ratings, flags and labels as XMP sidecars (a zip, one `photo.xmp` beside each name), all results
 * as CSV, and the picks' reports with their sidecars (a zip).
 */
export function CullExport() {
  const culls = useCulling((s) => s.byId);
  const picked = usePhotos((s) => s.photos.filter((p) => cullOf(culls, p.id).flag === 'pick').length);
  return (
    <div className="cull-export" role="group" aria-label="Export the session">
      <button
        type="button"
        className="button button--small"
        title="Ratings, flags and labels as XMP sidecars that Lightroom, Bridge and darktable read"
        onClick={exportSidecars}
      >
        XMP sidecars
      </button>
      <button type="button" className="button button--small" onClick={exportCsv}>
        CSV
      </button>
      <button
        type="button"
        className="button button--small"
        title="For every picked photo: its report as JSON and Markdown and its XMP sidecar, in one zip"
        disabled={picked === 0}
        onClick={() => void exportPicksReports()}
      >
        Picks’ reports ({picked})
      </button>
    </div>
  );
}
