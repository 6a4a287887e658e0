// The app's side of the intake worker (workers/intake.worker.ts): checking added files, decoding
// accepted photos and reading their camera data run there, off the main thread. One worker for the whole app, stopped
// when idle.
import type { CameraData } from '../lib/intake/camera.ts';
import type { DecodedPhoto, PhotoCheck, SniffedImage } from '../lib/intake/index.ts';
import { WorkerClient } from '../../workers/client.ts';
import type { IntakeRequest, IntakeResults } from '../../workers/protocol.ts';

const IDLE_MS = 60_000;

let client: WorkerClient<IntakeRequest, IntakeResults> | null = null;

function intake(): WorkerClient<IntakeRequest, IntakeResults> {
  client ??= new WorkerClient<IntakeRequest, IntakeResults>(
    () => new Worker(new URL('../../workers/intake.worker.ts', import.meta.url), { type: 'module', name: 'intake' }),
    { idleMs: IDLE_MS, cancelGraceMs: 1000 },
  );
  return client;
}

/** Whether the app accepts `file` (type, size, structure), read from its bytes; never rejects for a bad file. */
export function checkPhoto(file: Blob, fileName: string): Promise<PhotoCheck> {
  return intake().request('check', { file, fileName });
}

/** The camera data of an accepted photo's EXIF (empty when it has none). */
export function readCamera(file: Blob): Promise<CameraData> {
  return intake().request('camera', { file });
}

/**
 * Decodes an accepted photo to its display bitmap (the caller owns it), with a thumbnail when
 * asked. Rejects with a user-readable message when the browser cannot decode the file.
 */
export function decodeForDisplay(
  file: Blob,
  header: SniffedImage,
  options: { thumbnail: boolean; signal?: AbortSignal },
): Promise<DecodedPhoto> {
  return intake().request(
    'decode',
    { file, header, thumbnail: options.thumbnail },
    options.signal ? { signal: options.signal } : {},
  );
}
