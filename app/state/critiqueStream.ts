import type { Photo } from './photos.ts';

/** Fields that change with every streamed token: views that do not show the critique ignore them. */
const CRITIQUE_STREAM_FIELDS = new Set<keyof Photo>(['critique', 'critiqueSpeed', 'timings']);

/** Whether two versions of a photo differ only in what the critique stream changes. */
export function sameExceptCritiqueStream(a: Photo, b: Photo): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof Photo)[]);
  for (const k of keys) if (!CRITIQUE_STREAM_FIELDS.has(k) && a[k] !== b[k]) return false;
  return true;
}
