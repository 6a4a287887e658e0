// Whether a progressive JPEG holds every pass: its scans, read from their headers alone (no Huffman
// data is decoded), must bring every coefficient of every component to full precision. A file
// closed with an end marker after its first passes is whole by its structure, but browsers show it
// blurred and blocky, as the passes that sharpen it never arrive.
import { jpegSegments } from './structure.ts';

export interface MissingPasses {
  /** Scans the file holds. */
  scans: number;
  /** Coefficients (of 64 per component, over all components) not brought to full precision. */
  unfinished: number;
}

/**
 * For a progressive Huffman JPEG (SOF2), `b` being the whole file: what its passes leave unfinished,
 * or undefined when every coefficient is refined to full precision, and for other kinds of JPEG.
 */
export function jpegMissingPasses(b: Uint8Array): MissingPasses | undefined {
  // finished[component id] holds, per coefficient, whether a scan has reached its last bit (Al = 0).
  const finished = new Map<number, boolean[]>();
  let progressive = false;
  let scans = 0;
  for (const { marker, body } of jpegSegments(b)) {
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (marker !== 0xc2) return undefined;
      progressive = true;
      for (let i = 0, n = b[body + 5]!; i < n; i++)
        finished.set(b[body + 6 + i * 3]!, new Array<boolean>(64).fill(false));
    }
    if (marker !== 0xda) continue;
    if (!progressive) return undefined;
    scans++;
    const n = b[body]!;
    const ss = b[body + 1 + 2 * n]!;
    const se = b[body + 2 + 2 * n]!;
    const al = b[body + 3 + 2 * n]! & 15;
    if (al !== 0) continue;
    for (let i = 0; i < n; i++) {
      const coefficients = finished.get(b[body + 1 + 2 * i]!);
      for (let k = ss; k <= Math.min(se, 63) && coefficients; k++) coefficients[k] = true;
    }
  }
  if (!progressive || scans === 0) return undefined;
  let unfinished = 0;
  for (const coefficients of finished.values()) unfinished += coefficients.filter((done) => !done).length;
  return unfinished > 0 ? { scans, unfinished } : undefined;
}
