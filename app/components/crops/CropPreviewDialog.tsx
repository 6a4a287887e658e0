import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CompositeParams } from '../../lib/colormap/renderer.ts';
import { downloadBlob } from '../../lib/export/download.ts';
import { cropFileName, renderCropPng } from '../../lib/export/cropPng.ts';
import { withPngText } from '../../lib/export/pngText.ts';
import { usePhotos, type Photo } from '../../state/photos.ts';
import { messageOf } from '../../../models/common/errors.ts';
import { cropOfDisplay } from '../../analysis/crops.ts';
import { HeatmapCanvas } from '../HeatmapCanvas.tsx';
import { ModalDialog } from '../ModalDialog.tsx';
import { aspectLabel, scoreChange } from './cropText.ts';

/** The crop at full size with its own heatmap (computed when opened), and its PNG export. */
export function CropPreviewDialog({ photo, params }: { photo: Photo; params: CompositeParams }) {
  const preview = photo.cropPreview!;
  const { crop } = preview;
  const previewCrop = usePhotos((s) => s.previewCrop);
  const close = useCallback(() => previewCrop(photo.id, null), [previewCrop, photo.id]);
  const [bitmap, setBitmap] = useState<ImageBitmap | null>(null);
  const [exportState, setExportState] = useState<{ busy: boolean; error?: string; done?: string }>({ busy: false });
  const display = photo.displayBitmap;

  useEffect(() => {
    if (!display) return;
    let live = true;
    let made: ImageBitmap | null = null;
    void cropOfDisplay(display, photo, crop).then((b) => {
      made = b;
      if (live) setBitmap(b);
      else b.close();
    });
    return () => {
      live = false;
      made?.close();
      setBitmap(null);
    };
  }, [display, photo, crop]);

  const exportPng = async () => {
    setExportState({ busy: true });
    try {
      const name = cropFileName(photo.fileName, crop.aspect);
      const png = new Uint8Array(await (await renderCropPng(photo.file, crop)).arrayBuffer());
      // The crop's rectangle in the original travels inside the PNG, as the JSON report has it.
      const { x, y, width, height, aspect, score } = crop;
      const meta = JSON.stringify({ source: photo.fileName, x, y, width, height, aspect, score });
      downloadBlob(new Blob([withPngText(png, 'aeslens:crop', meta)], { type: 'image/png' }), name);
      setExportState({ busy: false, done: `Saved ${name} (${crop.width} × ${crop.height})` });
    } catch (err) {
      setExportState({ busy: false, error: `Export failed: ${messageOf(err)}` });
    }
  };

  const overlayParams = useMemo<CompositeParams>(
    () => (params.mode === 'swipe' || params.mode === 'side-by-side' ? { ...params, mode: 'overlay' } : params),
    [params],
  );
  const full = photo.crops?.fullFrame;
  const title = `${aspectLabel(crop)} crop of ${photo.fileName}`;
  return (
    <ModalDialog labelledBy="crop-preview-title" className="crop-preview" onClose={close} testId="crop-preview">
      <div className="crop-preview__head">
        <h2 id="crop-preview-title">{title}</h2>
        <p className="muted">
          {crop.width} × {crop.height} at {crop.x}, {crop.y}
          {full !== undefined && <> · suggested score {scoreChange(full, crop.score)}</>}
          {preview.status === 'done' && preview.score !== undefined && (
            <> · this crop analysed alone: {preview.score.toFixed(2)}</>
          )}
        </p>
      </div>
      <div className="crop-preview__stage">
        {bitmap ? (
          <HeatmapCanvas
            fileName={title}
            photo={bitmap}
            photoWidth={crop.width}
            photoHeight={crop.height}
            saliency={preview.saliency ?? null}
            params={overlayParams}
            regions={null}
            onSplitChange={() => {}}
          />
        ) : (
          <p className="muted">Cutting the crop…</p>
        )}
      </div>
      <p className="crop-preview__status" role="status" data-testid="crop-preview-status">
        {preview.status === 'failed'
          ? `The crop's heatmap could not be computed: ${preview.error}`
          : preview.status === 'done'
            ? "The crop's own heatmap: what the model looks at in this frame."
            : "Computing the crop's own heatmap…"}
      </p>
      <div className="crop-preview__actions">
        <button type="button" className="button button--primary" onClick={exportPng} disabled={exportState.busy}>
          {exportState.busy ? 'Exporting…' : 'Export crop (PNG, full resolution)'}
        </button>
        <button type="button" className="button" onClick={close} autoFocus>
          Close
        </button>
        <span className={exportState.error ? 'crop-preview__error' : 'muted'} role="status">
          {exportState.error ?? exportState.done ?? ''}
        </span>
      </div>
    </ModalDialog>
  );
}
