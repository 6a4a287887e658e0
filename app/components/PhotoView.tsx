import { memo, useCallback, useMemo, useState } from 'react';
import { useOriginalSource } from './loupe/useDetailBitmap.ts';
import { findSalientRegions } from '../lib/colormap/regions.ts';
import type { CompositeParams } from '../lib/colormap/renderer.ts';
import { useSettings } from '../state/settings.ts';
import { usePhotos, type Photo } from '../state/photos.ts';
import { sameExceptCritiqueStream } from '../state/critiqueStream.ts';
import type { ScoredCrop } from '../../models/crops/search.ts';
import { describeCamera } from '../lib/intake/camera.ts';
import { CullBar } from './cull/CullBar.tsx';
import { ExportButtons } from './ExportButtons.tsx';
import { HeatmapCanvas } from './HeatmapCanvas.tsx';
import { AnalysisOverlay } from './analysis/AnalysisOverlay.tsx';
import { PhotoActions } from './PhotoActions.tsx';
import { stripNote } from './stageFit.ts';
import { statusLabel } from './statusLabel.ts';
import { ViewControls } from './ViewControls.tsx';
import { CropOverlay } from './crops/CropOverlay.tsx';
import { CropPreviewDialog } from './crops/CropPreviewDialog.tsx';
import { CropSuggestions } from './crops/CropSuggestions.tsx';
import { shownCrops } from './crops/cropText.ts';
import { thumbnailUrl } from '../state/thumbnails.ts';

/**
 * The selected photo with its heatmap, display controls and exports. Memoised: the critique
 * streaming beside it does not redraw it (exports read the latest photo when clicked).
 */
export const PhotoView = memo(
  function PhotoView({ photo }: { photo: Photo }) {
    const colormap = useSettings((s) => s.colormap);
    const opacity = useSettings((s) => s.opacity);
    const viewMode = useSettings((s) => s.viewMode);
    const split = useSettings((s) => s.swipePosition);
    const outlines = useSettings((s) => s.outlines);
    const set = useSettings((s) => s.set);
    const clipping = useSettings((s) => s.showClipping);
    const sharpness = useSettings((s) => s.showSharpness);
    const guides = useSettings((s) => s.showGuides);
    const [fallback, setFallback] = useState<string | null>(null);
    const previewCrop = usePhotos((s) => s.previewCrop);
    const openCrop = useCallback((crop: ScoredCrop) => previewCrop(photo.id, crop), [previewCrop, photo.id]);
    const crops = photo.crops && photo.cropsStatus === 'done' ? shownCrops(photo.crops) : [];
    const analysisLayer =
      photo.measurement && (clipping || sharpness || guides) ? (
        <AnalysisOverlay
          measurement={photo.measurement}
          clipMask={photo.clipMask}
          details={photo.details}
          layers={{ clipping, sharpness, guides }}
        />
      ) : null;
    const cropLayer =
      crops.length > 0 && photo.crops ? (
        <CropOverlay
          crops={crops}
          fullFrame={photo.crops.fullFrame}
          width={photo.width}
          height={photo.height}
          onOpen={openCrop}
        />
      ) : null;

    const params = useMemo<CompositeParams>(
      () => ({ colormap, opacity, mode: viewMode, split }),
      [colormap, opacity, viewMode, split],
    );
    // Regions depend only on the map: computed once per photo on the CPU, then just drawn.
    const regions = useMemo(
      () => (photo.saliency ? findSalientRegions(photo.saliency, { count: 3 }) : null),
      [photo.saliency],
    );
    const onSplitChange = useCallback((v: number) => set('swipePosition', v), [set]);
    const onFallback = useCallback((reason: string) => setFallback(reason), []);
    const original = useOriginalSource(photo);
    const strip = photo.saliency
      ? stripNote(photo.width, photo.height, Math.max(photo.saliency.width, photo.saliency.height))
      : undefined;

    return (
      <section className="photo-view" aria-label={`Photo: ${photo.fileName}`}>
        <div className="photo-view__toolbar">
          <ViewControls />
        </div>
        {fallback && (
          <p className="notice" role="status">
            GPU colormapping is unavailable ({fallback}); the heatmap is drawn with a slower 2D canvas.
          </p>
        )}
        {photo.notice && (
          <p className="notice" role="status" data-testid="photo-notice">
            {photo.notice}
          </p>
        )}
        {strip && (
          <p className="notice" role="status" data-testid="strip-note">
            {strip}
          </p>
        )}
        <div className="photo-view__stage">
          {photo.displayBitmap ? (
            <HeatmapCanvas
              fileName={photo.fileName}
              photo={photo.displayBitmap}
              photoWidth={photo.width || photo.displayBitmap.width}
              photoHeight={photo.height || photo.displayBitmap.height}
              saliency={photo.saliency ?? null}
              params={params}
              regions={outlines ? regions : null}
              overlay={
                analysisLayer || cropLayer ? (
                  <>
                    {analysisLayer}
                    {cropLayer}
                  </>
                ) : null
              }
              onSplitChange={onSplitChange}
              onFallback={onFallback}
              original={original}
            />
          ) : (
            <div className="photo-view__waiting">
              {photo.thumbnail && <img src={thumbnailUrl(photo.thumbnail)} alt="" className="photo-view__thumb" />}
              <p>{photo.status === 'failed' ? `Cannot show ${photo.fileName}` : `Decoding ${photo.fileName}…`}</p>
            </div>
          )}
          {photo.displayBitmap && !photo.saliency && photo.status !== 'failed' && (
            <p className="photo-view__pending" role="status">
              Heatmap: {photo.paged?.saliency ? 'loading' : statusLabel(photo)}…
            </p>
          )}
        </div>
        <CropSuggestions photo={photo} onOpen={openCrop} />
        {photo.cropPreview && <CropPreviewDialog photo={photo} params={params} />}
        <div className="photo-view__footer">
          <span className="photo-view__name" title={photo.fileName}>
            {photo.fileName}
            {photo.width > 0 && (
              <span className="muted">
                {' '}
                · {photo.width} × {photo.height}
              </span>
            )}
          </span>
          {photo.cameraData && describeCamera(photo.cameraData) && (
            <span className="photo-view__camera muted" data-testid="camera-data">
              {describeCamera(photo.cameraData)}
              {photo.cameraData.takenAt !== undefined && ` · ${new Date(photo.cameraData.takenAt).toLocaleString()}`}
            </span>
          )}
          <CullBar photoId={photo.id} />
          <PhotoActions photo={photo} place="view" />
          <ExportButtons photo={photo} params={params} regions={outlines ? regions : null} allRegions={regions} />
        </div>
      </section>
    );
  },
  (a, b) => sameExceptCritiqueStream(a.photo, b.photo),
);
