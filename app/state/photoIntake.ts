// Which added files become photos, and reading their headers in the intake worker: a few at a
// time, results that arrive together written as one change. A photo is kept in the session once
// its header is read, so opening another session waits for the checks under way.
import { checkPhoto } from '../analysis/intake.ts';
import type { Photo } from './photos.ts';

/** Header checks sent to the intake worker at once: thousands posted in one go would hold the page up. */
const CHECKS_IN_FLIGHT = 16;

/** The header checks under way: a photo is kept in the session once its header is read. */
const checking = new Set<Promise<unknown>>();

/** Resolves once every header check started so far has finished (whatever its outcome). */
export const headerChecksSettled = (): Promise<unknown> => Promise.allSettled([...checking]);

/** Photo names, including formats that are refused with a reason (HEIC, TIFF): the user is told why. */
const IMAGE_NAME = /\.(jpe?g|jfif|png|apng|gif|webp|avif|bmp|heic|heif|hif|tiff?)$/i;

/**
 * Files picked one by one are all taken (and refused with a reason if they are not images); from
 * a folder, only what looks like a photo by name or type is taken (and then judged by its content),
 * so a folder's notes and sidecar files are skipped.
 */
export function isWanted(file: File, fromFolder: boolean): boolean {
  if (!fromFolder) return true;
  const name = file.name;
  return !name.startsWith('.') && (IMAGE_NAME.test(name) || file.type.startsWith('image/'));
}

/**
 * Reads the photos' headers (a few in flight), handing `apply` what was learnt, batched: the gallery
 * renders once for results that arrive together, not once per file.
 */
export async function checkHeaders(
  added: readonly Photo[],
  apply: (batch: ReadonlyMap<string, Partial<Photo>>) => void,
): Promise<void> {
  const pending = new Map<string, Partial<Photo>>();
  let written: Promise<void> | null = null;
  const write = (id: string, patch: Partial<Photo>): Promise<void> => {
    pending.set(id, patch);
    written ??= new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => {
      const batch = new Map(pending);
      pending.clear();
      written = null;
      apply(batch);
    });
    return written;
  };
  const writes: Promise<void>[] = [];
  let next = 0;
  const checkNext = async (): Promise<void> => {
    for (let p = added[next++]; p; p = added[next++]) {
      const sniffed = await checkPhoto(p.file, p.fileName);
      writes.push(
        write(
          p.id,
          sniffed.ok
            ? {
                mimeType: sniffed.info.mimeType,
                header: sniffed.info,
                width: sniffed.info.width,
                height: sniffed.info.height,
                ...(sniffed.notice ? { notice: sniffed.notice } : {}),
              }
            : { status: 'failed', error: sniffed.reason },
        ),
      );
    }
  };
  const checked = Promise.all(Array.from({ length: Math.min(CHECKS_IN_FLIGHT, added.length) }, checkNext)).then(() =>
    Promise.all(writes),
  );
  checking.add(checked);
  try {
    await checked;
  } finally {
    checking.delete(checked);
  }
}
