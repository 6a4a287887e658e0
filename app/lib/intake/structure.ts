// Whether a JPEG's or PNG's image data is all there, judged from the image's own structure: the
// JPEG's end marker after its last scan, the PNG's IEND chunk. Whatever follows the end is not
// the image's concern (phones append an MP4 to Motion Photos; tools append trailers to PNGs).

export type Completeness = { complete: true; imageEnd: number } | { complete: false; reason: string };

const u16be = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;
const u32be = (b: Uint8Array, at: number): number =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

const cut = (what: string): Completeness => ({
  complete: false,
  reason: `truncated ${what} (the file ends before the image does)`,
});

/** A scan's entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart. */
export function scanEnd(b: Uint8Array, from: number): number {
  for (let i = b.indexOf(0xff, from); i >= 0 && i + 1 < b.length; i = b.indexOf(0xff, i + 1)) {
    const next = b[i + 1]!;
    if (next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) return i;
  }
  return -1;
}

export interface JpegSegment {
  marker: number;
  /** Where the segment's body starts, after its marker and length. */
  body: number;
  /** Where the segment ends; for a scan's header (SOS), where its entropy-coded data starts. */
  end: number;
}

/** How a walk of a JPEG's segments ended: at the end-of-image marker (at `at`), cut short, or at a byte that is no marker. */
export type JpegWalkEnd = { kind: 'end'; at: number } | { kind: 'cut' } | { kind: 'bad-marker' };

/**
 * The segments of a JPEG (`b` is the whole file) after its start marker, in order: fill bytes and
 * the markers that have no length (restarts, TEM) are stepped over, and so is each scan's
 * entropy-coded data once its header has been yielded.
 */
export function* jpegSegments(b: Uint8Array): Generator<JpegSegment, JpegWalkEnd> {
  let at = 2;
  for (;;) {
    if (at + 2 > b.length) return { kind: 'cut' };
    if (b[at] !== 0xff) return { kind: 'bad-marker' };
    const marker = b[at + 1]!;
    if (marker === 0xff || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += marker === 0xff ? 1 : 2;
      continue;
    }
    if (marker === 0xd9) return { kind: 'end', at };
    if (at + 4 > b.length) return { kind: 'cut' };
    const end = at + 2 + u16be(b, at + 2);
    if (end > b.length) return { kind: 'cut' };
    yield { marker, body: at + 4, end };
    if (marker !== 0xda) {
      at = end;
      continue;
    }
    const next = scanEnd(b, end);
    if (next < 0) return { kind: 'cut' };
    at = next;
  }
}

/** Walks the JPEG's segments and scans (`b` is the whole file) to its end-of-image marker. */
export function jpegCompleteness(b: Uint8Array): Completeness {
  const walk = jpegSegments(b);
  let scans = 0;
  for (let step = walk.next(); ; step = walk.next()) {
    if (!step.done) {
      if (step.value.marker === 0xda) scans++;
      continue;
    }
    const end = step.value;
    if (end.kind === 'cut') return cut('JPEG');
    if (end.kind === 'bad-marker') return { complete: false, reason: 'corrupt JPEG (bad marker)' };
    return scans > 0
      ? { complete: true, imageEnd: end.at + 2 }
      : { complete: false, reason: 'corrupt JPEG (no image data)' };
  }
}

/** Walks the PNG's chunks (`b` is the whole file) to IEND. */
export function pngCompleteness(b: Uint8Array): Completeness {
  let sawData = false;
  for (let at = 8; ;) {
    if (at + 12 > b.length) return cut('PNG');
    const length = u32be(b, at);
    const type = String.fromCharCode(...b.subarray(at + 4, at + 8));
    const end = at + 12 + length;
    if (end > b.length) return cut('PNG');
    if (type === 'IDAT') sawData = true;
    if (type === 'IEND') {
      return sawData ? { complete: true, imageEnd: end } : { complete: false, reason: 'corrupt PNG (no image data)' };
    }
    at = end;
  }
}
