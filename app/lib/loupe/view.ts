// The loupe's geometry: which part of the photo a zoomed viewport shows, how zooming about a
// point and panning move it, and which pixels of the original to decode for it. Rectangles are in
// photo-normalised coordinates (0..1 across and down); sizes of viewports are in device pixels.

export interface Size {
  width: number;
  height: number;
}

/** A part of the photo, as fractions of its width and height. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A part of the photo in its own pixels (integers). */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/**
 * Zoom in device pixels per photo pixel (1 = 1:1, every photo pixel on one screen pixel), or null
 * for the whole photo fitted to the viewport; `centre` is the photo point at the viewport's centre.
 */
export interface Loupe {
  zoom: number | null;
  centre: Point;
}

export const FULL_VIEW: Rect = { x: 0, y: 0, width: 1, height: 1 };
export const FIT: Loupe = { zoom: null, centre: { x: 0.5, y: 0.5 } };
/** Deepest zoom: one photo pixel on an 8 × 8 block of screen pixels. */
export const MAX_ZOOM = 8;
/** A wheel notch (deltaY 100) zooms by this factor. */
const WHEEL_NOTCH = 1.25;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** The zoom at which the whole photo fits the viewport. */
export function fitZoom(viewport: Size, photo: Size): number {
  return Math.min(viewport.width / photo.width, viewport.height / photo.height);
}

/** Whether `loupe` shows less than the whole photo in this viewport. */
export function isZoomed(loupe: Loupe, viewport: Size, photo: Size): boolean {
  return loupe.zoom !== null && loupe.zoom > fitZoom(viewport, photo);
}

/**
 * The part of the photo the viewport shows: the whole photo when fitted, else a window of
 * viewport / zoom photo pixels around the centre, kept inside the photo, its corner on a whole
 * screen pixel so that at 1:1 each screen pixel shows exactly one photo pixel.
 */
export function viewRect(loupe: Loupe, viewport: Size, photo: Size): Rect {
  if (!isZoomed(loupe, viewport, photo)) return FULL_VIEW;
  const zoom = loupe.zoom!;
  const axis = (centre: number, view: number, side: number): [number, number] => {
    const span = Math.min(1, view / (zoom * side));
    const step = zoom * side; // screen pixels per photo side
    const start = Math.round(clamp(centre - span / 2, 0, 1 - span) * step) / step;
    return [clamp(start, 0, 1 - span), span];
  };
  const [x, width] = axis(loupe.centre.x, viewport.width, photo.width);
  const [y, height] = axis(loupe.centre.y, viewport.height, photo.height);
  return { x, y, width, height };
}

/** The photo point shown at (u, v) of the viewport (0..1 across and down). */
export function photoPointAt(rect: Rect, u: number, v: number): Point {
  return { x: rect.x + u * rect.width, y: rect.y + v * rect.height };
}

/** Where the photo point `p` lies in the viewport (0..1 when visible). */
export function viewPointOf(rect: Rect, p: Point): Point {
  return { x: (p.x - rect.x) / rect.width, y: (p.y - rect.y) / rect.height };
}

/** The centre that `rect`'s window has; stored so that a clamped view stays put. */
function centreOf(rect: Rect): Point {
  return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
}

/**
 * Zooms to `zoom` keeping the photo point under the viewport point (u, v) where it is (as
 * Lightroom zooms about the pointer). A zoom at or under the fit, or null, fits the photo.
 */
export function zoomAbout(loupe: Loupe, zoom: number | null, anchor: Point, viewport: Size, photo: Size): Loupe {
  if (zoom === null || zoom <= fitZoom(viewport, photo)) return FIT;
  const next = Math.min(MAX_ZOOM, zoom);
  const under = photoPointAt(viewRect(loupe, viewport, photo), anchor.x, anchor.y);
  const spanX = Math.min(1, viewport.width / (next * photo.width));
  const spanY = Math.min(1, viewport.height / (next * photo.height));
  const centre = { x: under.x + (0.5 - anchor.x) * spanX, y: under.y + (0.5 - anchor.y) * spanY };
  return { zoom: next, centre: centreOf(viewRect({ zoom: next, centre }, viewport, photo)) };
}

/** Z: from the fit (or any zoom under 1:1) to 1:1 about `anchor`; from 1:1 or deeper back to the fit. */
export function toggleOneToOne(loupe: Loupe, anchor: Point, viewport: Size, photo: Size): Loupe {
  const zoomed = isZoomed(loupe, viewport, photo);
  if (zoomed && loupe.zoom! >= 1) return FIT;
  return zoomAbout(loupe, 1, anchor, viewport, photo);
}

/** The zoom after a wheel turn of `deltaY` (negative zooms in), never under the fit. */
export function wheelZoom(loupe: Loupe, deltaY: number, viewport: Size, photo: Size): number {
  const fit = fitZoom(viewport, photo);
  const current = isZoomed(loupe, viewport, photo) ? loupe.zoom! : fit;
  return clamp(current * Math.pow(WHEEL_NOTCH, -deltaY / 100), fit, MAX_ZOOM);
}

/** Drags the photo by (dx, dy) screen pixels: the view moves the other way, kept inside the photo. */
export function panBy(loupe: Loupe, dx: number, dy: number, viewport: Size, photo: Size): Loupe {
  if (!isZoomed(loupe, viewport, photo)) return loupe;
  const zoom = loupe.zoom!;
  const centre = {
    x: loupe.centre.x - dx / (zoom * photo.width),
    y: loupe.centre.y - dy / (zoom * photo.height),
  };
  return { zoom, centre: centreOf(viewRect({ zoom, centre }, viewport, photo)) };
}

/**
 * The photo pixels to decode for `rect`: the window widened by `margin` of its size on every side
 * (so that a short pan needs no new decode), on whole pixels, inside the photo.
 */
export function sourceRegion(rect: Rect, photo: Size, margin: number): PixelRect {
  const axis = (start: number, span: number, side: number): [number, number] => {
    // The tolerance keeps float noise (0.3 × 4000 = 1200.0000000000002) from adding a pixel.
    const from = Math.max(0, Math.floor((start - span * margin) * side + 1e-6));
    const to = Math.min(side, Math.ceil((start + span * (1 + margin)) * side - 1e-6));
    return [from, to - from];
  };
  const [x, width] = axis(rect.x, rect.width, photo.width);
  const [y, height] = axis(rect.y, rect.height, photo.height);
  return { x, y, width, height };
}

/** The region in photo-normalised coordinates. */
export function regionRect(region: PixelRect, photo: Size): Rect {
  return {
    x: region.x / photo.width,
    y: region.y / photo.height,
    width: region.width / photo.width,
    height: region.height / photo.height,
  };
}

/** Whether the decoded `region` holds all of `rect`. */
export function covers(region: PixelRect, rect: Rect, photo: Size): boolean {
  const eps = 1e-9;
  return (
    region.x <= rect.x * photo.width + eps &&
    region.y <= rect.y * photo.height + eps &&
    region.x + region.width >= (rect.x + rect.width) * photo.width - eps &&
    region.y + region.height >= (rect.y + rect.height) * photo.height - eps
  );
}

/**
 * Placement of a layer drawn over the whole photo (outlines, measurements), as percentages of the
 * viewport, so that the part `rect` fills the viewport.
 */
export function layerPlacement(rect: Rect): { left: number; top: number; width: number; height: number } {
  return {
    left: (-rect.x / rect.width) * 100,
    top: (-rect.y / rect.height) * 100,
    width: 100 / rect.width,
    height: 100 / rect.height,
  };
}
