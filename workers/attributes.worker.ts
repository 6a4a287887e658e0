// Attributes worker: decodes a photo at full resolution (EXIF orientation, sRGB), makes the one
// measuring pass and the clipping map, and derives the attributes (with the saliency map if given).
// The last few scans are kept by photo, so the saliency-dependent facts cost no second decode.
import { attributesOf, clippingMask, scanPhoto, type ClipMask, type PhotoScan } from '../models/attributes/index.ts';
import type { AttributesRequest, AttributesResponse, PhotoMeasurement } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

/** Scans kept for photos measured again (each holds a 1024-px luma plane and the colour bins: ~4 MB). */
const KEPT_SCANS = 4;

interface Kept {
  scan: PhotoScan;
  clipMask: ClipMask;
  width: number;
  height: number;
  decodeMs: number;
}

const kept = new Map<string, Kept>();
const cancelled = new Set<number>();
let chain: Promise<void> = Promise.resolve();

const post = (response: AttributesResponse, transfer: Transferable[] = []): void =>
  self.postMessage(response, transfer);

async function scanFile(file: Blob): Promise<Kept> {
  const t0 = performance.now();
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new BadPhoto('the photo could not be decoded for measuring');
  }
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D context on OffscreenCanvas');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const image = { data: ctx.getImageData(0, 0, width, height).data, width, height };
  const decodeMs = performance.now() - t0;
  return { scan: scanPhoto(image), clipMask: clippingMask(image), width, height, decodeMs };
}

class BadPhoto extends Error {}

async function measure(request: Extract<AttributesRequest, { type: 'measure' }>): Promise<void> {
  const { id, key, file, saliency } = request;
  try {
    const t0 = performance.now();
    let entry = kept.get(key);
    const fresh = !entry;
    if (!entry) entry = await scanFile(file);
    kept.delete(key);
    kept.set(key, entry);
    while (kept.size > KEPT_SCANS) kept.delete(kept.keys().next().value!);
    if (cancelled.has(id)) throw new CancelledError();
    const attributes = attributesOf(entry.scan, saliency);
    const clipMask = { ...entry.clipMask, data: entry.clipMask.data.slice() };
    const result: PhotoMeasurement = {
      attributes,
      withSaliency: saliency !== null,
      clipMask,
      width: entry.width,
      height: entry.height,
      timings: { decodeMs: entry.decodeMs, measureMs: performance.now() - t0 - (fresh ? entry.decodeMs : 0) },
    };
    post({ id, type: 'result', result }, [clipMask.data.buffer]);
  } catch (err) {
    if (err instanceof CancelledError) post({ id, type: 'error', error: { code: 'cancelled', message: 'cancelled' } });
    else if (err instanceof BadPhoto) post({ id, type: 'error', error: { code: 'bad-input', message: err.message } });
    else
      post({
        id,
        type: 'error',
        error: { code: 'runtime', message: err instanceof Error ? err.message : String(err) },
      });
  } finally {
    cancelled.delete(id);
  }
}

class CancelledError extends Error {}

self.onmessage = (event: MessageEvent<AttributesRequest>) => {
  const request = event.data;
  if (request.type === 'cancel') {
    cancelled.add(request.target);
    return;
  }
  chain = chain.then(() => measure(request));
};
