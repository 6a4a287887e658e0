// A minimal baseline JPEG encoder for tests: one grey component, every 8×8 block flat (its DC
// coefficient only), optional restart intervals. Enough to make files other encoders at hand
// (sharp) cannot, e.g. with restart markers; sharp decodes them as the independent check.

/** Annex K.3's luminance DC table: code counts per length 1..16, values are categories 0..11. */
const DC_COUNTS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];

function dcCodes(): { code: number; length: number }[] {
  const codes: { code: number; length: number }[] = [];
  let code = 0;
  DC_COUNTS.forEach((n, i) => {
    for (let k = 0; k < n; k++) codes.push({ code: code++, length: i + 1 });
    code <<= 1;
  });
  return codes;
}

class BitWriter {
  readonly bytes: number[] = [];
  private acc = 0;
  private count = 0;
  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.count === 8) this.flushByte();
    }
  }
  /** Pads the last byte with 1s, as T.81 asks before a marker. */
  align(): void {
    while (this.count !== 0) this.write(1, 1);
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0x00);
    this.acc = 0;
    this.count = 0;
  }
}

const segment = (marker: number, body: number[]): number[] => [
  0xff,
  marker,
  (body.length + 2) >> 8,
  (body.length + 2) & 0xff,
  ...body,
];

/**
 * A `width` × `height` grey JPEG whose block i (row-major over the blocks) is the flat level
 * `level(i)` (0..255); a restart marker after every `restartInterval` blocks when set.
 */
export function greyJpeg(
  width: number,
  height: number,
  level: (block: number) => number,
  restartInterval = 0,
): Uint8Array<ArrayBuffer> {
  const codes = dcCodes();
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const w = new BitWriter();
  let previous = 0;
  for (let i = 0; i < blocks; i++) {
    if (restartInterval > 0 && i > 0 && i % restartInterval === 0) {
      w.align();
      w.bytes.push(0xff, 0xd0 + ((i / restartInterval - 1) % 8));
      previous = 0;
    }
    // Quantiser 1: the DC coefficient is 8 × (level − 128).
    const dc = 8 * (Math.round(level(i)) - 128);
    const diff = dc - previous;
    previous = dc;
    const category = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
    w.write(codes[category]!.code, codes[category]!.length);
    if (category > 0) w.write(diff > 0 ? diff : (diff - 1) & ((1 << category) - 1), category);
    w.write(0, 1); // end of block: the AC table's only code
  }
  w.align();
  const bytes = [
    0xff,
    0xd8,
    ...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]),
    ...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
    ...segment(0xc4, [0x00, ...DC_COUNTS, ...Array.from({ length: 12 }, (_, i) => i)]),
    ...segment(0xc4, [0x10, 1, ...new Array<number>(15).fill(0), 0x00]),
    ...(restartInterval > 0 ? segment(0xdd, [restartInterval >> 8, restartInterval & 0xff]) : []),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...w.bytes,
    0xff,
    0xd9,
  ];
  return new Uint8Array(bytes);
}
