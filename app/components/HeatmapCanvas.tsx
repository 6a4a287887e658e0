import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type PointerEvent,
  type ReactNode,
} from 'react';
import type { SalientRegion, SaliencyMap } from '../lib/colormap/regions.ts';
import {
  compositeSize,
  createHeatmapRenderer,
  type CompositeParams,
  type HeatmapRenderer,
  type PhotoSource,
} from '../lib/colormap/renderer.ts';
import { sampleSaliency } from '../lib/colormap/sample.ts';
import {
  isZoomed,
  layerPlacement,
  panBy,
  photoPointAt,
  regionRect,
  toggleOneToOne,
  viewRect,
  type Size,
} from '../lib/loupe/view.ts';
import { useLoupe } from '../state/loupe.ts';
import { HeatmapLegend } from './HeatmapLegend.tsx';
import { heatmapLabel } from './heatmapLabel.ts';
import { useDetailBitmap, type OriginalSource } from './loupe/useDetailBitmap.ts';
import { useLoupeGestures } from './loupe/useLoupeGestures.ts';
import { ZoomButton } from './loupe/ZoomButton.tsx';
import { cursorPixel, moveCursor, type ReadoutCursor } from './readoutCursor.ts';
import { RegionOutlines } from './RegionOutlines.tsx';
import { centredOnPixels, fitStage } from './stageFit.ts';
import { SwipeDivider } from './SwipeDivider.tsx';

export interface HeatmapCanvasProps {
  fileName: string;
  photo: PhotoSource;
  /** Size of the original photo (for the hover readout's pixel coordinates). */
  photoWidth: number;
  photoHeight: number;
  saliency: SaliencyMap | null;
  params: CompositeParams;
  regions: SalientRegion[] | null;
  /** Layers drawn over the photo (in side-by-side, over its photo half). */
  overlay?: ReactNode;
  onSplitChange(split: number): void;
  /** Called once if WebGL2 is unavailable, with the reason. */
  onFallback?(reason: string): void;
  /** The original file, decoded region by region when zoomed beyond what `photo` holds. */
  original?: OriginalSource | null;
  /** Whether Z toggles this view's zoom (one view per page answers it). */
  zoomKey?: boolean;
}

/** An arrow key pans a zoomed photo by this fraction of the view. */
const PAN_STEP = 0.1;
const PAN_KEYS: Record<string, [number, number]> = {
  ArrowLeft: [1, 0],
  ArrowRight: [-1, 0],
  ArrowUp: [0, 1],
  ArrowDown: [0, -1],
};

interface Readout {
  value: number;
  x: number;
  y: number;
  /** The map it was read from: another photo's map shows no reading until one is taken on it. */
  map: SaliencyMap;
}

const readoutText = (r: Readout): string => `Saliency ${r.value.toFixed(2)} at ${r.x}, ${r.y}`;

/**
 * The photo with its heatmap, drawn on the GPU. Changing params re-runs one draw call; the photo
 * and saliency textures are uploaded only when they change.
 */
export function HeatmapCanvas(props: HeatmapCanvasProps) {
  const { photo, saliency, params, regions, fileName, photoWidth, photoHeight, onFallback } = props;
  const frameRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const rendererRef = useRef<HeatmapRenderer | null>(null);
  const paramsRef = useRef(params);
  const rafRef = useRef(0);
  // The stage's size, and its place in the frame on whole screen pixels.
  const [box, setBox] = useState<{ width: number; height: number; left: number; top: number } | null>(null);
  const [reading, setReadout] = useState<Readout | null>(null);
  const readout = reading && reading.map === saliency ? reading : null;
  // The keyboard cursor belongs to the map it was moved on: another photo's map starts without one.
  const [cursor, setCursor] = useState<(ReadoutCursor & { map: SaliencyMap }) | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const activeCursor = cursor && cursor.map === saliency ? cursor : null;
  const [generation, setGeneration] = useState(0);
  const [rendererKind, setRendererKind] = useState<HeatmapRenderer['kind'] | null>(null);
  const swiping = useRef(false);
  const loupe = useLoupe((s) => s.loupe);
  const setLoupe = useLoupe((s) => s.setLoupe);
  const panes = params.mode === 'side-by-side' ? 2 : 1;

  // One pane's size in screen pixels: the loupe's zoom counts photo pixels per screen pixel.
  const viewport = useMemo<Size | null>(() => {
    if (!box) return null;
    const dpr = window.devicePixelRatio || 1;
    return { width: Math.round(box.width * dpr) / panes, height: Math.round(box.height * dpr) };
  }, [box, panes]);
  const photoSize = useMemo<Size>(() => ({ width: photoWidth, height: photoHeight }), [photoWidth, photoHeight]);
  const view = useMemo(
    () => (viewport ? viewRect(loupe, viewport, photoSize) : viewRect(loupe, photoSize, photoSize)),
    [loupe, viewport, photoSize],
  );
  const zoomed = viewport !== null && isZoomed(loupe, viewport, photoSize);
  const detail = useDetailBitmap(props.original ?? null, view, zoomed ? loupe.zoom : null);
  const viewRef = useRef(view);
  const gestures = useLoupeGestures(
    canvasRef,
    viewport ? { viewport, photo: photoSize, panes } : null,
    props.zoomKey ?? true,
  );

  const requestDraw = useCallback(() => {
    if (rafRef.current) return;
    rafRef.current = requestAnimationFrame(() => {
      rafRef.current = 0;
      rendererRef.current?.render(paramsRef.current, viewRef.current);
    });
  }, []);

  // One renderer per canvas element; recreated after a lost WebGL context is restored.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const choice = createHeatmapRenderer(canvas);
    rendererRef.current = choice.renderer;
    setRendererKind(choice.renderer.kind);
    if (choice.fallbackReason) onFallback?.(choice.fallbackReason);
    const onLost = (e: Event): void => e.preventDefault();
    const onRestored = (): void => setGeneration((g) => g + 1);
    canvas.addEventListener('webglcontextlost', onLost);
    canvas.addEventListener('webglcontextrestored', onRestored);
    return () => {
      canvas.removeEventListener('webglcontextlost', onLost);
      canvas.removeEventListener('webglcontextrestored', onRestored);
      cancelAnimationFrame(rafRef.current);
      rafRef.current = 0;
      choice.renderer.dispose();
      rendererRef.current = null;
    };
  }, [generation, onFallback]);

  useEffect(() => {
    if (detail) rendererRef.current?.setPhoto(detail.bitmap, regionRect(detail.region, photoSize));
    else rendererRef.current?.setPhoto(photo);
    requestDraw();
  }, [photo, detail, photoSize, generation, requestDraw]);

  useEffect(() => {
    viewRef.current = view;
    requestDraw();
  }, [view, requestDraw]);

  useEffect(() => {
    rendererRef.current?.setSaliency(saliency);
    requestDraw();
  }, [saliency, generation, requestDraw]);

  useEffect(() => {
    paramsRef.current = params;
    requestDraw();
  }, [params, requestDraw]);

  // Fit the composite into the frame, keeping the photo's aspect ratio.
  const aspect = useMemo(() => {
    const size = compositeSize(params.mode, photoWidth, photoHeight);
    return size.width / size.height;
  }, [params.mode, photoWidth, photoHeight]);

  useLayoutEffect(() => {
    const frame = frameRef.current;
    if (!frame) return;
    const fit = (): void => {
      const { clientWidth: fw, clientHeight: fh } = frame;
      if (fw <= 0 || fh <= 0) return;
      const size = fitStage(fw, fh, aspect);
      const r = frame.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      setBox({
        ...size,
        left: centredOnPixels(r.left, fw, size.width, dpr),
        top: centredOnPixels(r.top, fh, size.height, dpr),
      });
    };
    fit();
    const ro = new ResizeObserver(fit);
    ro.observe(frame);
    return () => ro.disconnect();
  }, [aspect]);

  // Backing store: CSS size × devicePixelRatio; at the fit never more pixels than the photo has.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !box || !viewport) return;
    const dpr = window.devicePixelRatio || 1;
    const full = compositeSize(params.mode, photo.width, photo.height);
    const scale = Math.min(dpr, full.width / box.width);
    canvas.width = zoomed ? viewport.width * panes : Math.max(1, Math.round(box.width * scale));
    canvas.height = zoomed ? viewport.height : Math.max(1, Math.round(box.height * scale));
    requestDraw();
  }, [box, viewport, zoomed, panes, params.mode, photo, requestDraw]);

  // In the swipe view a press anywhere on the photo moves the divider there, and dragging follows.
  const swipeTo = (e: PointerEvent<HTMLCanvasElement>): void => {
    const rect = e.currentTarget.getBoundingClientRect();
    props.onSplitChange(Math.min(1, Math.max(0, (e.clientX - rect.left) / rect.width)));
  };
  const onPointerDown = (e: PointerEvent<HTMLCanvasElement>): void => {
    if (gestures.onPointerDown(e) || params.mode !== 'swipe') return;
    swiping.current = true;
    e.currentTarget.setPointerCapture(e.pointerId);
    swipeTo(e);
  };
  const endSwipe = (e: PointerEvent<HTMLCanvasElement>): void => {
    swiping.current = false;
    gestures.onPointerEnd(e);
  };

  const readAt = (map: SaliencyMap, at: ReadoutCursor): Readout => ({
    map,
    value: sampleSaliency(map, at.u, at.v),
    ...cursorPixel(at, photoWidth, photoHeight),
  });

  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>): void => {
    if (swiping.current) swipeTo(e);
    gestures.onPointerMove(e);
    if (!saliency) return;
    const rect = e.currentTarget.getBoundingClientRect();
    let u = (e.clientX - rect.left) / rect.width;
    const v = (e.clientY - rect.top) / rect.height;
    if (params.mode === 'side-by-side') u = u < 0.5 ? u * 2 : u * 2 - 1;
    if (u < 0 || u > 1 || v < 0 || v > 1) return setReadout(null);
    const at = photoPointAt(view, u, v);
    setReadout(readAt(saliency, { u: at.x, v: at.y }));
  };

  // Arrow keys move a readout cursor over the photo, its reading announced; while zoomed they pan
  // and Shift+arrows move the cursor (in fine steps).
  const onKeyDown = (e: KeyboardEvent<HTMLCanvasElement>): void => {
    const pan = PAN_KEYS[e.key];
    if (zoomed && viewport && pan && !e.shiftKey) {
      e.preventDefault();
      const dx = pan[0] * PAN_STEP * viewport.width;
      setLoupe(panBy(loupe, dx, pan[1] * PAN_STEP * viewport.height, viewport, photoSize));
      return;
    }
    if (!saliency) return;
    // Zoomed, a new cursor starts at the centre of the view rather than of the photo.
    const centre = photoPointAt(view, 0.5, 0.5);
    const start = moveCursor(null, e.key, false) && !activeCursor && zoomed ? { u: centre.x, v: centre.y } : undefined;
    const next = start ?? moveCursor(activeCursor, e.key, zoomed || e.shiftKey);
    if (!next) return;
    e.preventDefault();
    const here = readAt(saliency, next);
    setCursor({ ...next, map: saliency });
    setReadout(here);
    setAnnouncement(`${readoutText(here)}, ${Math.round(next.u * 100)}% across, ${Math.round(next.v * 100)}% down`);
  };

  const label = heatmapLabel(fileName, params, saliency, regions);

  const place = layerPlacement(view);
  // Layers drawn over the whole photo, placed so that the part in view fills the pane.
  const pane = (left: string, children: ReactNode) => (
    <div className="heatmap__pane" style={{ left, width: panes === 2 ? '50%' : '100%' }}>
      <div
        className="heatmap__layers"
        style={{ left: `${place.left}%`, top: `${place.top}%`, width: `${place.width}%`, height: `${place.height}%` }}
      >
        {children}
      </div>
    </div>
  );
  const outlines =
    regions && saliency && regions.length > 0 ? <RegionOutlines regions={regions} saliency={saliency} /> : null;
  const cursorMark = activeCursor && (
    <span
      className="heatmap__cursor"
      aria-hidden="true"
      data-testid="readout-cursor"
      style={{ left: `${(activeCursor.u * 100).toFixed(4)}%`, top: `${(activeCursor.v * 100).toFixed(4)}%` }}
    />
  );

  return (
    <div className="heatmap" style={{ '--aspect': String(aspect) } as CSSProperties}>
      <div className="heatmap__frame" ref={frameRef}>
        <div
          className="heatmap__stage"
          style={
            box
              ? { position: 'absolute', left: box.left, top: box.top, width: box.width, height: box.height }
              : undefined
          }
        >
          <canvas
            ref={canvasRef}
            className="heatmap__canvas"
            role="img"
            aria-label={label}
            tabIndex={saliency ? 0 : undefined}
            onKeyDown={onKeyDown}
            onBlur={() => setCursor(null)}
            data-renderer={rendererKind ?? undefined}
            data-mode={params.mode}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={endSwipe}
            onPointerCancel={endSwipe}
            onPointerLeave={() => {
              setReadout(null);
              gestures.onPointerLeave();
            }}
            onDoubleClick={gestures.onDoubleClick}
            data-zoomed={zoomed ? 'true' : 'false'}
            data-view={`${view.x} ${view.y} ${view.width} ${view.height}`}
            data-detail={detail ? 'original' : 'display'}
          />
          {pane(
            '0',
            <>
              {props.overlay && (
                <div className="heatmap__overlay" style={{ left: 0, width: '100%' }}>
                  {props.overlay}
                </div>
              )}
              {panes === 1 && outlines}
              {panes === 1 && cursorMark}
            </>,
          )}
          {panes === 2 &&
            (outlines || cursorMark) &&
            pane(
              '50%',
              <>
                {outlines}
                {cursorMark}
              </>,
            )}
          {params.mode === 'side-by-side' && (
            <>
              <span className="heatmap__tag heatmap__tag--left">Photo</span>
              <span className="heatmap__tag heatmap__tag--right">Heatmap</span>
            </>
          )}
          {params.mode === 'swipe' && (
            <>
              <span className="heatmap__tag heatmap__tag--left">Heatmap</span>
              <span className="heatmap__tag heatmap__tag--end">Photo</span>
            </>
          )}
          {viewport && (
            <ZoomButton
              zoom={zoomed ? loupe.zoom : null}
              onToggle={() => setLoupe(toggleOneToOne(loupe, { x: 0.5, y: 0.5 }, viewport, photoSize))}
            />
          )}
          {params.mode === 'swipe' && <SwipeDivider value={params.split} onChange={props.onSplitChange} />}
        </div>
      </div>
      <div className="heatmap__footer">
        {saliency && <HeatmapLegend colormap={params.colormap} mode={params.mode} />}
        <div className="heatmap__readout" data-testid="saliency-readout" aria-live="off">
          {readout
            ? readoutText(readout)
            : saliency
              ? 'Point at or touch the photo, or focus it and use the arrow keys, to read the saliency there'
              : ''}
        </div>
        <div className="visually-hidden" aria-live="polite" data-testid="saliency-announcement">
          {announcement}
        </div>
      </div>
    </div>
  );
}
