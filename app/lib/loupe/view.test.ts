import { describe, expect, it } from 'vitest';
import {
  covers,
  FIT,
  fitZoom,
  isZoomed,
  layerPlacement,
  panBy,
  photoPointAt,
  sourceRegion,
  toggleOneToOne,
  viewPointOf,
  viewRect,
  wheelZoom,
  zoomAbout,
  type Rect,
} from './view.ts';

// A 4000 × 3000 photo in an 800 × 600 viewport: the fit is 0.2, and at 1:1 the viewport shows
// 800 × 600 photo pixels, a fifth of each side.
const photo = { width: 4000, height: 3000 };
const viewport = { width: 800, height: 600 };
const centre = { x: 0.5, y: 0.5 };

function expectRect(actual: Rect, expected: Rect): void {
  expect(actual.x).toBeCloseTo(expected.x, 9);
  expect(actual.y).toBeCloseTo(expected.y, 9);
  expect(actual.width).toBeCloseTo(expected.width, 9);
  expect(actual.height).toBeCloseTo(expected.height, 9);
}

describe('viewRect', () => {
  it('shows the whole photo when fitted or zoomed no further than the fit', () => {
    expect(fitZoom(viewport, photo)).toBeCloseTo(0.2, 12);
    expect(viewRect(FIT, viewport, photo)).toEqual({ x: 0, y: 0, width: 1, height: 1 });
    expect(isZoomed({ zoom: 0.2, centre }, viewport, photo)).toBe(false);
    expect(viewRect({ zoom: 0.1, centre }, viewport, photo)).toEqual({ x: 0, y: 0, width: 1, height: 1 });
  });

  it('at 1:1 shows a fifth of each side around the centre', () => {
    expectRect(viewRect({ zoom: 1, centre }, viewport, photo), { x: 0.4, y: 0.4, width: 0.2, height: 0.2 });
  });

  it('at 2:1 shows a tenth of each side', () => {
    expectRect(viewRect({ zoom: 2, centre }, viewport, photo), { x: 0.45, y: 0.45, width: 0.1, height: 0.1 });
  });

  it('keeps the window inside the photo', () => {
    const rect = viewRect({ zoom: 1, centre: { x: 0.05, y: 0.95 } }, viewport, photo);
    expectRect(rect, { x: 0, y: 0.8, width: 0.2, height: 0.2 });
  });

  it('puts the window corner on a whole photo pixel at 1:1', () => {
    // Centre 0.50001 would start the window at photo pixel 1600.04; it starts at 1600.
    const rect = viewRect({ zoom: 1, centre: { x: 0.50001, y: 0.5 } }, viewport, photo);
    expect(rect.x * photo.width).toBeCloseTo(1600, 9);
  });
});

describe('zooming and panning', () => {
  it('zooms about the anchor: the photo point under it stays under it', () => {
    const zoomed = zoomAbout(FIT, 1, { x: 0.25, y: 0.5 }, viewport, photo);
    expect(zoomed.zoom).toBe(1);
    // At the fit the anchor is over photo x = 0.25; a window 0.2 wide with 0.25 at its quarter starts at 0.2.
    const rect = viewRect(zoomed, viewport, photo);
    expectRect(rect, { x: 0.2, y: 0.4, width: 0.2, height: 0.2 });
    expect(photoPointAt(rect, 0.25, 0.5).x).toBeCloseTo(0.25, 9);
  });

  it('fits again when zoomed to the fit or under', () => {
    expect(zoomAbout({ zoom: 1, centre }, 0.2, centre, viewport, photo)).toEqual(FIT);
    expect(zoomAbout({ zoom: 1, centre }, null, centre, viewport, photo)).toEqual(FIT);
  });

  it('caps the zoom at 8:1', () => {
    expect(zoomAbout(FIT, 20, centre, viewport, photo).zoom).toBe(8);
  });

  it('Z goes from the fit or a shallow zoom to 1:1, and from 1:1 or deeper back to the fit', () => {
    expect(toggleOneToOne(FIT, centre, viewport, photo).zoom).toBe(1);
    expect(toggleOneToOne({ zoom: 0.5, centre }, centre, viewport, photo).zoom).toBe(1);
    expect(toggleOneToOne({ zoom: 1, centre }, centre, viewport, photo)).toEqual(FIT);
    expect(toggleOneToOne({ zoom: 3, centre }, centre, viewport, photo)).toEqual(FIT);
  });

  it('a wheel notch zooms by 1.25 and never below the fit', () => {
    expect(wheelZoom({ zoom: 1, centre }, -100, viewport, photo)).toBeCloseTo(1.25, 12);
    expect(wheelZoom({ zoom: 1, centre }, 200, viewport, photo)).toBeCloseTo(0.64, 12);
    expect(wheelZoom(FIT, 100, viewport, photo)).toBeCloseTo(0.2, 12);
    expect(wheelZoom(FIT, -100, viewport, photo)).toBeCloseTo(0.25, 12);
  });

  it('dragging 400 screen pixels right at 1:1 shows 400 photo pixels further left', () => {
    const moved = panBy({ zoom: 1, centre }, 400, 0, viewport, photo);
    expectRect(viewRect(moved, viewport, photo), { x: 0.3, y: 0.4, width: 0.2, height: 0.2 });
  });

  it('a drag past the edge stops at the edge and keeps the centre there', () => {
    const moved = panBy({ zoom: 1, centre }, 4000, 0, viewport, photo);
    expect(moved.centre.x).toBeCloseTo(0.1, 9);
    expect(viewRect(moved, viewport, photo).x).toBe(0);
  });

  it('does not pan a fitted photo', () => {
    expect(panBy(FIT, 100, 100, viewport, photo)).toBe(FIT);
  });

  it('maps viewport and photo points both ways', () => {
    const rect = { x: 0.4, y: 0.4, width: 0.2, height: 0.2 };
    const p = viewPointOf(rect, { x: 0.45, y: 0.55 });
    expect(p.x).toBeCloseTo(0.25, 9);
    expect(p.y).toBeCloseTo(0.75, 9);
  });
});

describe('sourceRegion', () => {
  it('widens the window by the margin on every side, on whole pixels', () => {
    const rect = { x: 0.4, y: 0.4, width: 0.2, height: 0.2 };
    const region = sourceRegion(rect, photo, 0.5);
    expect(region).toEqual({ x: 1200, y: 900, width: 1600, height: 1200 });
    expect(covers(region, rect, photo)).toBe(true);
    expect(covers(region, { x: 0.1, y: 0.4, width: 0.2, height: 0.2 }, photo)).toBe(false);
  });

  it('stays inside the photo at its edges', () => {
    const region = sourceRegion({ x: 0, y: 0.8, width: 0.2, height: 0.2 }, photo, 0.5);
    expect(region).toEqual({ x: 0, y: 2100, width: 1200, height: 900 });
  });

  it('rounds a window between pixels outwards', () => {
    // x from 0.10005 × 4000 = 400.2 to 0.30005 × 4000 = 1200.2: pixels 400 to 1201.
    const region = sourceRegion({ x: 0.10005, y: 0, width: 0.2, height: 1 }, photo, 0);
    expect(region.x).toBe(400);
    expect(region.width).toBe(801);
  });
});

describe('layerPlacement', () => {
  it('places a whole-photo layer so that the window fills the viewport', () => {
    const place = layerPlacement({ x: 0.4, y: 0.4, width: 0.2, height: 0.2 });
    expect(place.left).toBeCloseTo(-200, 9);
    expect(place.top).toBeCloseTo(-200, 9);
    expect(place.width).toBeCloseTo(500, 9);
    expect(place.height).toBeCloseTo(500, 9);
  });
});
