import { useEffect, useLayoutEffect, useRef, type MouseEvent, type PointerEvent, type RefObject } from 'react';
import {
  fitZoom,
  isZoomed,
  panBy,
  toggleOneToOne,
  wheelZoom,
  zoomAbout,
  type Point,
  type Size,
} from '../../lib/loupe/view.ts';
import { isTypingTarget } from '../../lib/cull/keys.ts';
import { useLoupe } from '../../state/loupe.ts';

export interface LoupeGeometry {
  /** One pane's size in device pixels (side by side shows the photo in two panes). */
  viewport: Size;
  photo: Size;
  panes: 1 | 2;
}

/** Lines and pages of a wheel turn in pixels, as a mouse notch scrolls about 100. */
const DELTA_UNIT = [1, 33, 800];

/** Where the event is within its pane (0..1 across and down). */
function paneAnchor(canvas: HTMLElement, clientX: number, clientY: number, panes: 1 | 2): Point {
  const r = canvas.getBoundingClientRect();
  let u = (clientX - r.left) / r.width;
  if (panes === 2) u = u < 0.5 ? u * 2 : u * 2 - 1;
  return { x: Math.min(1, Math.max(0, u)), y: Math.min(1, Math.max(0, (clientY - r.top) / r.height)) };
}

/**
 * Wheel and pinch zoom about the pointer, drag to pan while zoomed, double-click for 1:1 and back;
 * with `zoomKey`, Z anywhere in the studio toggles 1:1 about the pointer (the view's centre when the
 * pointer is elsewhere). Returns pointer handlers for the canvas; `onPointerDown` answers whether
 * it took the press.
 */
export function useLoupeGestures(
  canvasRef: RefObject<HTMLCanvasElement | null>,
  geometry: LoupeGeometry | null,
  zoomKey: boolean,
) {
  const geometryRef = useRef(geometry);
  useLayoutEffect(() => {
    geometryRef.current = geometry;
  }, [geometry]);
  const pointers = useRef(new Map<number, Point>());
  const pinch = useRef<{ distance: number; zoom: number } | null>(null);
  const hover = useRef<Point | null>(null);

  useEffect(() => {
    if (!zoomKey) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'z' && e.key !== 'Z') return;
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTypingTarget(e.target)) return;
      if (document.querySelector('[aria-modal="true"]')) return;
      const g = geometryRef.current;
      if (!g) return;
      e.preventDefault();
      const { loupe, setLoupe } = useLoupe.getState();
      setLoupe(toggleOneToOne(loupe, hover.current ?? { x: 0.5, y: 0.5 }, g.viewport, g.photo));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [zoomKey]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (e: WheelEvent): void => {
      const g = geometryRef.current;
      if (!g) return;
      e.preventDefault();
      const { loupe, setLoupe } = useLoupe.getState();
      const zoom = wheelZoom(loupe, e.deltaY * (DELTA_UNIT[e.deltaMode] ?? 1), g.viewport, g.photo);
      setLoupe(zoomAbout(loupe, zoom, paneAnchor(canvas, e.clientX, e.clientY, g.panes), g.viewport, g.photo));
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [canvasRef]);

  const distance = (): number => {
    const [a, b] = [...pointers.current.values()];
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
  };

  const onPointerDown = (e: PointerEvent<HTMLCanvasElement>): boolean => {
    const g = geometryRef.current;
    if (!g) return false;
    const { loupe } = useLoupe.getState();
    const zoomed = isZoomed(loupe, g.viewport, g.photo);
    // A mouse at the fit is left to the swipe divider and the readout; touches are followed for a pinch.
    if (!zoomed && e.pointerType !== 'touch') return false;
    pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
    e.currentTarget.setPointerCapture(e.pointerId);
    if (pointers.current.size === 2) {
      pinch.current = { distance: distance(), zoom: zoomed ? loupe.zoom! : fitZoom(g.viewport, g.photo) };
    }
    return zoomed || pointers.current.size > 1;
  };

  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>): void => {
    const g = geometryRef.current;
    if (g) hover.current = paneAnchor(e.currentTarget, e.clientX, e.clientY, g.panes);
    const last = pointers.current.get(e.pointerId);
    if (!g || !last) return;
    pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
    const { loupe, setLoupe } = useLoupe.getState();
    if (pinch.current && pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()];
      const mid = paneAnchor(e.currentTarget, (a!.x + b!.x) / 2, (a!.y + b!.y) / 2, g.panes);
      const zoom = (pinch.current.zoom * distance()) / Math.max(1, pinch.current.distance);
      setLoupe(zoomAbout(loupe, zoom, mid, g.viewport, g.photo));
      return;
    }
    // Screen pixels per CSS pixel of the canvas, so that the photo follows the pointer exactly.
    const perCss = (g.viewport.width * g.panes) / e.currentTarget.getBoundingClientRect().width;
    const dx = (e.clientX - last.x) * perCss;
    const dy = (e.clientY - last.y) * perCss;
    if (dx !== 0 || dy !== 0) setLoupe(panBy(loupe, dx, dy, g.viewport, g.photo));
  };

  const onPointerLeave = (): void => {
    hover.current = null;
  };

  const onPointerEnd = (e: PointerEvent<HTMLCanvasElement>): void => {
    pointers.current.delete(e.pointerId);
    if (pointers.current.size < 2) pinch.current = null;
  };

  const onDoubleClick = (e: MouseEvent<HTMLCanvasElement>): void => {
    const g = geometryRef.current;
    if (!g) return;
    const { loupe, setLoupe } = useLoupe.getState();
    setLoupe(toggleOneToOne(loupe, paneAnchor(e.currentTarget, e.clientX, e.clientY, g.panes), g.viewport, g.photo));
  };

  return { onPointerDown, onPointerMove, onPointerEnd, onPointerLeave, onDoubleClick };
}
