import { memo, useEffect, useMemo, type CSSProperties } from 'react';
import { useOriginalSource } from '../loupe/useDetailBitmap.ts';
import type { CompositeParams } from '../../lib/colormap/renderer.ts';
import { formatScore } from '../format.ts';
import { HeatmapCanvas } from '../HeatmapCanvas.tsx';
import { useSettings } from '../../state/settings.ts';
import { usePhotos, type Photo } from '../../state/photos.ts';
import { sameExceptCritiqueStream } from '../../state/critiqueStream.ts';
import { showMaps } from '../../state/session/paging.ts';
import { useCompare, type StudioLayout } from '../../state/compare.ts';
import { useComparedPhotos } from './useComparedPhotos.ts';
import { thumbnailUrl } from '../../state/thumbnails.ts';
import './compare.css';

/** The critique's first sentence: the pane has room for a line or two. */
function shortCritique(text: string): string {
  const sentence = /^[\s\S]*?[.!?](\s|$)/.exec(text.trim());
  return (sentence ? sentence[0] : text).trim();
}

const ComparePane = memo(
  function ComparePane({ photo, params, first }: { photo: Photo; params: CompositeParams; first: boolean }) {
    const select = usePhotos((s) => s.select);
    const setLayout = useCompare((s) => s.setLayout);
    const original = useOriginalSource(photo);
    const critique = photo.critique ? shortCritique(photo.critique) : '';
    return (
      <section className="compare__pane" aria-label={`Compare: ${photo.fileName}`} data-testid="compare-pane">
        <header className="compare__head">
          <button
            type="button"
            className="compare__name"
            title="Show this photo alone"
            onClick={() => {
              select(photo.id);
              setLayout('loupe');
            }}
          >
            {photo.fileName}
          </button>
          <span className="compare__score" data-testid="compare-score">
            {photo.score !== undefined ? formatScore(photo.score) : '…'}
          </span>
        </header>
        <div className="compare__stage">
          {photo.displayBitmap ? (
            <HeatmapCanvas
              fileName={photo.fileName}
              photo={photo.displayBitmap}
              photoWidth={photo.width || photo.displayBitmap.width}
              photoHeight={photo.height || photo.displayBitmap.height}
              saliency={photo.saliency ?? null}
              params={params}
              regions={null}
              onSplitChange={() => undefined}
              original={original}
              zoomKey={first}
            />
          ) : (
            <div className="compare__waiting">
              {photo.thumbnail && <img src={thumbnailUrl(photo.thumbnail)} alt="" />}
              <p>Select {photo.fileName} to show it here</p>
            </div>
          )}
          {photo.displayBitmap && photo.paged?.saliency && (
            <p className="photo-view__pending" role="status">
              Heatmap: loading…
            </p>
          )}
        </div>
        {critique && (
          <p className="compare__critique" title={photo.critique}>
            {critique}
          </p>
        )}
      </section>
    );
  },
  (a, b) => a.params === b.params && a.first === b.first && sameExceptCritiqueStream(a.photo, b.photo),
);

/** Compare or survey of the photos chosen (else the selected and the next). */
export function CompareStage({ layout }: { layout: Exclude<StudioLayout, 'loupe'> }) {
  const photos = useComparedPhotos(layout);
  const setShown = useCompare((s) => s.setShown);
  const ids = photos.map((p) => p.id).join(' ');
  useEffect(() => {
    setShown(ids ? ids.split(' ') : []);
    return () => setShown([]);
  }, [ids, setShown]);
  // The panes' heatmaps stay in memory while they are shown.
  useEffect(() => showMaps('compare', ids ? ids.split(' ') : []), [ids]);
  return <CompareView photos={photos} layout={layout} />;
}

/**
 * Compare (two photos side by side) or survey (several in a grid), over the whole stage, every
 * photo with its score, heatmap and the start of its critique. They share one zoom and pan.
 */
export function CompareView({ photos, layout }: { photos: Photo[]; layout: Exclude<StudioLayout, 'loupe'> }) {
  const setLayout = useCompare((s) => s.setLayout);
  const colormap = useSettings((s) => s.colormap);
  const opacity = useSettings((s) => s.opacity);
  const viewMode = useSettings((s) => s.viewMode);
  // Side by side inside a pane would halve each photo again: the panes show the overlay instead.
  const mode = viewMode === 'side-by-side' || viewMode === 'swipe' ? 'overlay' : viewMode;
  const params = useMemo<CompositeParams>(() => ({ colormap, opacity, mode, split: 0.5 }), [colormap, opacity, mode]);
  return (
    <section
      className={`compare compare--${layout}`}
      aria-label={layout === 'compare' ? 'Compare two photos' : 'Survey'}
      data-testid="compare-view"
      data-layout={layout}
      style={{ '--panes': String(photos.length) } as CSSProperties}
    >
      <div className="compare__bar">
        <p className="compare__hint muted">
          {layout === 'compare' ? 'Compare' : 'Survey'}: zoom and pan move every photo together · Esc returns to the
          loupe
        </p>
        <button type="button" className="button button--small" onClick={() => setLayout('loupe')}>
          Single photo
        </button>
      </div>
      <div className="compare__grid">
        {photos.map((p, i) => (
          <ComparePane key={p.id} photo={p} params={params} first={i === 0} />
        ))}
      </div>
    </section>
  );
}
