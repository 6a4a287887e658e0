import { useState } from 'react';
import type { SalientRegion } from '../lib/colormap/regions.ts';
import type { CompositeParams } from '../lib/colormap/renderer.ts';
import { downloadBlob } from '../lib/export/download.ts';
import { renderOverlayPng } from '../lib/export/overlayPng.ts';
import { withPngText } from '../lib/export/pngText.ts';
import { buildJsonReport, buildMarkdownReport, exportFileName } from '../lib/export/report.ts';
import type { Photo } from '../state/photos.ts';
import { latestWithMaps, reportInput } from './reportInput.ts';
import { messageOf } from '../../models/common/errors.ts';

/** Says what the PNG shows: the mode, and the colormap where one is drawn. */
function overlaySuffix(params: CompositeParams): string {
  return params.mode === 'spotlight' ? 'spotlight' : `heatmap-${params.mode}-${params.colormap}`;
}

/** Overlay PNG at full resolution, and the report as Markdown and JSON. */
export function ExportButtons({
  photo,
  params,
  regions,
  allRegions,
}: {
  photo: Photo;
  params: CompositeParams;
  /** Regions drawn (outlines on), or null. */
  regions: SalientRegion[] | null;
  /** Regions listed in the report whether or not they are drawn. */
  allRegions: SalientRegion[] | null;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ready = photo.saliency !== undefined;

  const exportPng = async (): Promise<void> => {
    if (!photo.saliency) return;
    setBusy(true);
    setError(null);
    try {
      const out = await renderOverlayPng(photo.file, photo.saliency, params, regions);
      // The measurements travel inside the PNG (an iTXt chunk), as the JSON report has them.
      const report = buildJsonReport(reportInput(await latestWithMaps(photo), allRegions));
      const png = withPngText(
        new Uint8Array(await out.blob.arrayBuffer()),
        'aeslens:report',
        JSON.stringify({ score: report.score, attributes: report.attributes, readings: report.readings }),
      );
      downloadBlob(
        new Blob([png], { type: 'image/png' }),
        exportFileName(photo.fileName, overlaySuffix(params), 'png'),
      );
      if (out.scaledFrom) {
        setError(
          `Exported at ${out.width} × ${out.height}: the full ${out.scaledFrom.width} × ${out.scaledFrom.height} is larger than this GPU can draw.`,
        );
      }
    } catch (e) {
      setError(`Could not export the PNG: ${messageOf(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const exportReport = async (kind: 'md' | 'json'): Promise<void> => {
    setError(null);
    try {
      const input = reportInput(await latestWithMaps(photo), allRegions);
      const blob =
        kind === 'json'
          ? new Blob([JSON.stringify(buildJsonReport(input), null, 2)], { type: 'application/json' })
          : new Blob([buildMarkdownReport(input)], { type: 'text/markdown' });
      downloadBlob(blob, exportFileName(photo.fileName, 'report', kind));
    } catch (e) {
      setError(`Could not export the report: ${messageOf(e)}`);
    }
  };

  return (
    <div className="export" role="group" aria-label="Export">
      <button type="button" className="button button--small" disabled={!ready || busy} onClick={() => void exportPng()}>
        {busy ? 'Exporting…' : 'Export PNG'}
      </button>
      <button type="button" className="button button--small" disabled={!ready} onClick={() => void exportReport('md')}>
        Report (Markdown)
      </button>
      <button
        type="button"
        className="button button--small"
        disabled={!ready}
        onClick={() => void exportReport('json')}
      >
        Report (JSON)
      </button>
      {error && (
        <p className="notice" role="status">
          {error}
        </p>
      )}
    </div>
  );
}
