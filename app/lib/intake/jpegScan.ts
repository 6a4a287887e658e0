// Whether a sequential JPEG's scans hold every block of the image: each scan's Huffman codes are
// read (no pixels are made) until its data ends, and the blocks read are counted against the
// blocks the frame has. A scan cut short and closed with an end marker is a complete file by its
// structure, but browsers show the blocks it never reached in flat grey.
import { jpegSegments } from './structure.ts';

export interface ScanShortfall {
  /** Blocks (MCUs) the shortest scan holds, and how many it should. */
  decoded: number;
  expected: number;
}

interface Component {
  id: number;
  h: number;
  v: number;
}

interface Frame {
  width: number;
  height: number;
  components: Component[];
}

/**
 * A Huffman table in the decoding form of ITU T.81 F.2.2.3 (per code length, the largest code and
 * where its values start), plus a lookup of the codes up to LOOKUP_BITS long: (length << 8) | value.
 */
interface HuffmanTable {
  maxCode: Int32Array;
  valPtr: Int32Array;
  minCode: Int32Array;
  values: Uint8Array;
  lookup: Uint16Array;
}

const LOOKUP_BITS = 9;

const u16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;

function huffmanTable(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxCode = new Int32Array(18).fill(-1);
  const valPtr = new Int32Array(17);
  const minCode = new Int32Array(17);
  const lookup = new Uint16Array(1 << LOOKUP_BITS);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    const n = counts[len - 1]!;
    if (n > 0) {
      valPtr[len] = k;
      minCode[len] = code;
      if (len <= LOOKUP_BITS) {
        for (let i = 0; i < n; i++) {
          const shift = LOOKUP_BITS - len;
          const first = (code + i) << shift;
          lookup.fill((len << 8) | (values[k + i] ?? 0), first, first + (1 << shift));
        }
      }
      code += n;
      k += n;
      maxCode[len] = code - 1;
    }
    code <<= 1;
  }
  maxCode[17] = 0x7fffffff;
  return { maxCode, valPtr, minCode, values, lookup };
}

/**
 * Reads the entropy-coded bits of one scan through a 32-bit buffer. The data ends at a marker
 * (any 0xFF not followed by a stuffed 0x00) or the file's end; a read past it returns -1.
 */
class BitReader {
  private buffer = 0;
  private count = 0;
  private atMarker = false;
  constructor(
    private readonly b: Uint8Array,
    private at: number,
  ) {}

  private fill(): void {
    const b = this.b;
    while (this.count <= 24 && !this.atMarker) {
      if (this.at >= b.length) {
        this.atMarker = true;
        break;
      }
      const byte = b[this.at]!;
      if (byte === 0xff) {
        if (b[this.at + 1] !== 0x00) {
          this.atMarker = true;
          break;
        }
        this.at += 2;
      } else this.at++;
      this.buffer = ((this.buffer << 8) | byte) >>> 0;
      this.count += 8;
    }
  }

  /** Consumes n ≤ 16 bits; false when the data ends first. */
  skip(n: number): boolean {
    if (this.count < n) this.fill();
    if (this.count < n) return false;
    this.count -= n;
    return true;
  }

  /** The next Huffman-coded value, or -1 when the data ends (or holds no valid code). */
  decode(t: HuffmanTable): number {
    if (this.count < 16) this.fill();
    const available = this.count;
    const peek =
      available >= LOOKUP_BITS
        ? (this.buffer >>> (available - LOOKUP_BITS)) & ((1 << LOOKUP_BITS) - 1)
        : (this.buffer << (LOOKUP_BITS - available)) & ((1 << LOOKUP_BITS) - 1);
    const hit = t.lookup[peek]!;
    if (hit !== 0) {
      const len = hit >> 8;
      if (len > available) return -1;
      this.count -= len;
      return hit & 0xff;
    }
    for (let len = LOOKUP_BITS + 1; len <= 16 && len <= available; len++) {
      const code = (this.buffer >>> (available - len)) & ((1 << len) - 1);
      if (code <= t.maxCode[len]!) {
        this.count -= len;
        return t.values[t.valPtr[len]! + code - t.minCode[len]!] ?? -1;
      }
    }
    return -1;
  }

  /** Drops the bits left in the byte and steps over the restart marker that must follow; false when there is none. */
  restart(): boolean {
    // Whole bytes still buffered were read past the marker's position only if no marker was met.
    if (this.count >= 8) return false;
    this.count = 0;
    this.buffer = 0;
    const b = this.b;
    if (b[this.at] === 0xff && b[this.at + 1]! >= 0xd0 && b[this.at + 1]! <= 0xd7) {
      this.at += 2;
      this.atMarker = false;
      return true;
    }
    return false;
  }
}

/** One 8×8 block's codes: false when the data ends (or breaks) inside it. */
function readBlock(r: BitReader, dc: HuffmanTable, ac: HuffmanTable): boolean {
  const size = r.decode(dc);
  if (size < 0 || size > 16 || !r.skip(size)) return false;
  for (let k = 1; k < 64;) {
    const rs = r.decode(ac);
    if (rs < 0) return false;
    const run = rs >> 4;
    const s = rs & 15;
    if (s === 0) {
      if (run !== 15) return true;
      k += 16;
      continue;
    }
    k += run;
    if (k > 63 || !r.skip(s)) return false;
    k++;
  }
  return true;
}

/** MCUs of one scan read from `at`, and how many the frame has for it. */
function scanCoverage(
  b: Uint8Array,
  at: number,
  frame: Frame,
  scan: { component: Component; dc: HuffmanTable; ac: HuffmanTable }[],
  restartInterval: number,
): ScanShortfall {
  const hMax = Math.max(...frame.components.map((c) => c.h));
  const vMax = Math.max(...frame.components.map((c) => c.v));
  // One component alone is coded block by block over its own size; several are interleaved in MCUs.
  const only = scan.length === 1 ? scan[0]!.component : null;
  const expected = only
    ? Math.ceil(Math.ceil((frame.width * only.h) / hMax) / 8) * Math.ceil(Math.ceil((frame.height * only.v) / vMax) / 8)
    : Math.ceil(frame.width / (8 * hMax)) * Math.ceil(frame.height / (8 * vMax));
  const r = new BitReader(b, at);
  let decoded = 0;
  while (decoded < expected) {
    if (restartInterval > 0 && decoded > 0 && decoded % restartInterval === 0 && !r.restart()) break;
    let whole = true;
    for (const { component, dc, ac } of scan) {
      const blocks = only ? 1 : component.h * component.v;
      for (let i = 0; i < blocks && whole; i++) whole = readBlock(r, dc, ac);
      if (!whole) break;
    }
    if (!whole) break;
    decoded++;
  }
  return { decoded, expected };
}

/**
 * For a baseline or extended sequential (Huffman) JPEG, `b` being the whole file: the scan that
 * covers the least of the image, when one stops before the image ends; undefined when every scan
 * is whole, and for kinds not judged here (progressive, arithmetic-coded, lossless).
 */
export function jpegScanShortfall(b: Uint8Array): ScanShortfall | undefined {
  const dcTables: (HuffmanTable | undefined)[] = [];
  const acTables: (HuffmanTable | undefined)[] = [];
  let frame: Frame | undefined;
  let restartInterval = 0;
  let worst: ScanShortfall | undefined;
  for (const { marker, body, end } of jpegSegments(b)) {
    if (marker === 0xc0 || marker === 0xc1) {
      const components: Component[] = [];
      for (let i = 0, n = b[body + 5]!; i < n; i++) {
        const c = body + 6 + i * 3;
        components.push({ id: b[c]!, h: b[c + 1]! >> 4, v: b[c + 1]! & 15 });
      }
      frame = { height: u16(b, body + 1), width: u16(b, body + 3), components };
      if (frame.height === 0 || components.some((c) => c.h === 0 || c.v === 0)) return undefined;
    } else if (marker >= 0xc2 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return undefined;
    } else if (marker === 0xc4) {
      for (let p = body; p + 17 <= end;) {
        const kind = b[p]! >> 4;
        const counts = b.subarray(p + 1, p + 17);
        const total = counts.reduce((s, n) => s + n, 0);
        (kind === 0 ? dcTables : acTables)[b[p]! & 15] = huffmanTable(counts, b.subarray(p + 17, p + 17 + total));
        p += 17 + total;
      }
    } else if (marker === 0xdd) {
      restartInterval = u16(b, body);
    } else if (marker === 0xda) {
      if (!frame) return undefined;
      const scan = [];
      for (let i = 0, n = b[body]!; i < n; i++) {
        const id = b[body + 1 + i * 2]!;
        const tables = b[body + 2 + i * 2]!;
        const component = frame.components.find((c) => c.id === id);
        const dc = dcTables[tables >> 4];
        const ac = acTables[tables & 15];
        if (!component || !dc || !ac) return undefined;
        scan.push({ component, dc, ac });
      }
      const coverage = scanCoverage(b, end, frame, scan, restartInterval);
      if (
        coverage.decoded < coverage.expected &&
        (!worst || coverage.decoded / coverage.expected < worst.decoded / worst.expected)
      )
        worst = coverage;
    }
  }
  return worst;
}
