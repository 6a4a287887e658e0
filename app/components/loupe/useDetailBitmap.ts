import { useEffect, useMemo, useRef, useState } from 'react';
import { decodeRegion, releaseOriginals } from '../../analysis/fullResolution.ts';
import { covers, sourceRegion, type PixelRect, type Rect, type Size } from '../../lib/loupe/view.ts';
import type { Photo } from '../../state/photos.ts';

export interface OriginalSource {
  file: Blob;
  mimeType: string;
  /** The photo's full size (orientation applied). */
  size: Size;
  /** Width of the display copy the photo view holds. */
  displayWidth: number;
}

export interface Detail {
  bitmap: ImageBitmap;
  /** Which pixels of the original it holds. */
  region: PixelRect;
  scale: number;
  file: Blob;
}

/** Decoded beyond the window by half its size on each side: a short pan needs no new decode. */
const MARGIN = 0.5;
/** A pan or zoom settles this long before the region is decoded. */
const SETTLE_MS = 60;

/**
 * The part of the original in view, decoded at full resolution when the zoom asks for more pixels
 * than the display copy has; null while none is needed or the first one is on its way. The last
 * detail is kept while it still covers the view, so panning within it draws at full resolution.
 */
export function useDetailBitmap(source: OriginalSource | null, view: Rect, zoom: number | null): Detail | null {
  const [detail, setDetail] = useState<Detail | null>(null);
  const scale = zoom === null ? 0 : Math.min(1, zoom);
  const needed = source !== null && zoom !== null && scale * source.size.width > source.displayWidth;
  const current =
    detail &&
    needed &&
    detail.file === source.file &&
    detail.scale === scale &&
    covers(detail.region, view, source.size)
      ? detail
      : null;

  useEffect(() => {
    if (!needed || current) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      const region = sourceRegion(view, source.size, MARGIN);
      decodeRegion(source.file, source.mimeType, region, scale).then(
        (bitmap) => {
          if (cancelled) return bitmap.close();
          setDetail({ bitmap, region, scale, file: source.file });
        },
        // The display copy stays on screen: the same file decoded at display size already.
        () => undefined,
      );
    }, SETTLE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [needed, current, source, view, scale]);

  // A replaced detail is closed once the new one is drawn; the last one when the view unmounts.
  const previous = useRef<Detail | null>(null);
  useEffect(() => {
    if (previous.current && previous.current !== detail) previous.current.bitmap.close();
    previous.current = detail;
  }, [detail]);
  useEffect(
    () => () => {
      previous.current?.bitmap.close();
    },
    [],
  );

  useEffect(() => {
    if (zoom === null) releaseOriginals();
  }, [zoom]);

  return current;
}

/** The original a photo's loupe decodes regions from, once the photo has a display copy. */
export function useOriginalSource(photo: Photo): OriginalSource | null {
  const { file, mimeType, width, height, displayBitmap } = photo;
  return useMemo(
    () => (displayBitmap ? { file, mimeType, size: { width, height }, displayWidth: displayBitmap.width } : null),
    [file, mimeType, width, height, displayBitmap],
  );
}
