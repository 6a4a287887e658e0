// Intake worker: the header and structure checks of added files, the decoding of accepted photos
// to display bitmaps and thumbnails, and their EXIF camera data, so none of it runs on the main thread.
// A few requests run at once (each reads its file; a decode holds a full-size bitmap), decodes first.
import { decodePhoto, sniffPhoto, UndecodablePhoto } from '../app/lib/intake/index.ts';
import { readCameraData } from '../app/lib/intake/camera.ts';
import { messageOf } from '../models/common/errors.ts';
import type { IntakeRequest, IntakeResponse } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

const AT_ONCE = 4;

type Work = Exclude<IntakeRequest, { type: 'cancel' }>;

/**
 * Decodes go first: a photo waiting to be shown or analysed is not held up by files still to
 * check; camera data, which nothing waits on, comes last.
 */
const waiting: { decode: Work[]; check: Work[]; camera: Work[] } = { decode: [], check: [], camera: [] };
const cancelled = new Set<number>();
let running = 0;

const post = (response: IntakeResponse, transfer: Transferable[] = []): void => self.postMessage(response, transfer);
const postCancelled = (id: number): void =>
  post({ id, type: 'error', error: { code: 'cancelled', message: 'cancelled' } });

async function handle(request: Work): Promise<void> {
  const { id } = request;
  try {
    if (request.type === 'check') {
      post({ id, type: 'result', result: await sniffPhoto(request.file, request.fileName) });
      return;
    }
    if (request.type === 'camera') {
      post({ id, type: 'result', result: await readCameraData(request.file) });
      return;
    }
    const decoded = await decodePhoto(request.file, request.header, request.thumbnail);
    if (cancelled.has(id)) {
      decoded.bitmap.close();
      postCancelled(id);
      return;
    }
    post({ id, type: 'result', result: decoded }, [decoded.bitmap]);
  } catch (err) {
    const code = err instanceof UndecodablePhoto ? 'bad-input' : 'runtime';
    post({ id, type: 'error', error: { code, message: messageOf(err) } });
  }
}

function pump(): void {
  for (;;) {
    const queue = [waiting.decode, waiting.check, waiting.camera].find((q) => q.length > 0);
    if (running >= AT_ONCE || !queue) return;
    const next = queue.shift()!;
    if (cancelled.delete(next.id)) {
      postCancelled(next.id);
      continue;
    }
    running++;
    void handle(next).finally(() => {
      running--;
      cancelled.delete(next.id);
      pump();
    });
  }
}

self.onmessage = (event: MessageEvent<IntakeRequest>) => {
  const request = event.data;
  if (request.type === 'cancel') cancelled.add(request.target);
  else waiting[request.type].push(request);
  pump();
};
