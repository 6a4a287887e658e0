// Hostile and unusual inputs, generated for the unit tests and the e2e suite: bytes written here
// around images encoded by sharp (an independent encoder). Each says what the browser will decode.
import { crc32 } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { scanEnd } from '../structure.ts';

/** Bytes on a plain ArrayBuffer (what Blob and File take). */
export type Bytes = Uint8Array<ArrayBuffer>;

export interface HostileFile {
  name: string;
  bytes: Bytes;
  /** Size the browser decodes it to (orientation and crop applied), when it is accepted. */
  decoded?: { width: number; height: number };
}

const u16le = (n: number): number[] => [n & 0xff, n >> 8];
const u32be = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const latin1 = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const concat = (...parts: ArrayLike<number>[]): Bytes => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** A photo-like test image (smooth gradients and a disc), so encoders produce ordinary files. */
export function photoLike(width: number, height: number): Sharp {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const inDisc = (x - width * 0.6) ** 2 + (y - height * 0.4) ** 2 < (Math.min(width, height) * 0.25) ** 2;
      data[i] = inDisc ? 230 : Math.round((255 * x) / width);
      data[i + 1] = inDisc ? 180 : Math.round((255 * y) / height);
      data[i + 2] = 90;
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } });
}

/** GIF with a 16×16 logical screen whose first frame is `side`² (a few bytes of LZW: clear, end). */
export function gifFrameBomb(side = 16000): Bytes {
  return concat(
    latin1('GIF89a'),
    u16le(16),
    u16le(16),
    [0x80, 0, 0], // global colour table of 2 entries
    [0, 0, 0, 255, 255, 255],
    [0x2c, ...u16le(0), ...u16le(0), ...u16le(side), ...u16le(side), 0],
    [2, 1, 0x2c, 0], // LZW minimum code size 2; one sub-block holding the codes clear (4), end (5)
    [0x3b],
  );
}

/** A GIF encoded by sharp at `width`×`height`, its logical screen then set to 16×16: the browser shows the frame's size. */
export async function gifFrameOverflowingScreen(width: number, height: number): Promise<Bytes> {
  const gif = new Uint8Array(await photoLike(width, height).gif().toBuffer());
  gif.set([...u16le(16), ...u16le(16)], 6);
  return gif;
}

/** A Motion Photo as Pixel and Galaxy phones write it: a complete JPEG with an MP4 appended. */
export async function motionPhoto(width: number, height: number): Promise<Bytes> {
  const jpeg = new Uint8Array(await photoLike(width, height).jpeg({ quality: 85 }).toBuffer());
  const video = new Uint8Array(20_000).map((_, i) => (i * 2654435761) >>> 24); // includes FF D8, FF D9, …
  const ftyp = [...u32be(24), ...latin1('ftypmp42'), ...u32be(0), ...latin1('isommp42')];
  return concat(jpeg, ftyp, u32be(8 + video.length), latin1('mdat'), video);
}

/** A complete PNG with `extra` bytes after IEND. */
export async function pngWithTrailer(
  width: number,
  height: number,
  extra = 'trailing data written by some tool',
): Promise<Bytes> {
  return concat(await photoLike(width, height).png().toBuffer(), latin1(extra));
}

/** A PNG chunk: length, type, data, CRC. */
export function pngChunk(type: string, data: ArrayLike<number>): Bytes {
  const body = concat(latin1(type), data);
  return concat(u32be(data.length), body, u32be(crc32(body)));
}

/** A big-endian TIFF block whose IFD0 holds only an orientation tag. */
export function tiffWithOrientation(orientation: number): Bytes {
  return concat(
    latin1('MM'),
    [0, 42],
    u32be(8),
    [0, 1],
    [0x01, 0x12, 0, 3],
    u32be(1),
    [0, orientation, 0, 0],
    u32be(0),
  );
}

/** A PNG whose eXIf chunk (before IDAT) says `orientation`: the browser turns it. */
export async function pngWithExifOrientation(width: number, height: number, orientation: number): Promise<Bytes> {
  const png = new Uint8Array(await photoLike(width, height).png().toBuffer());
  const afterIhdr = 8 + 12 + 13;
  return concat(
    png.subarray(0, afterIhdr),
    pngChunk('eXIf', tiffWithOrientation(orientation)),
    png.subarray(afterIhdr),
  );
}

/** A JPEG APP1 EXIF segment holding an orientation. */
function exifSegment(orientation: number): Bytes {
  const body = concat(latin1('Exif\0\0'), tiffWithOrientation(orientation));
  return concat([0xff, 0xe1], [(body.length + 2) >> 8, (body.length + 2) & 0xff], body);
}

/** A JPEG with two EXIF blocks, the first saying `first`, the second `second`: browsers follow the first. */
export async function jpegWithTwoExif(width: number, height: number, first: number, second: number): Promise<Bytes> {
  const jpeg = new Uint8Array(await photoLike(width, height).jpeg().toBuffer());
  return concat(jpeg.subarray(0, 2), exifSegment(first), exifSegment(second), jpeg.subarray(2));
}

/** A baseline JPEG whose entropy-coded scan is cut at `fraction` of its length, then closed with an end marker. */
export async function jpegScanCutShort(width: number, height: number, fraction = 0.5): Promise<Bytes> {
  const jpeg = new Uint8Array(await photoLike(width, height).jpeg({ quality: 90 }).toBuffer());
  let sos = 2;
  while (!(jpeg[sos] === 0xff && jpeg[sos + 1] === 0xda)) sos += 2 + ((jpeg[sos + 2]! << 8) | jpeg[sos + 3]!);
  const dataStart = sos + 2 + ((jpeg[sos + 2]! << 8) | jpeg[sos + 3]!);
  let cutAt = dataStart + Math.floor((jpeg.length - 2 - dataStart) * fraction);
  if (jpeg[cutAt - 1] === 0xff) cutAt--; // never split a stuffed 0xFF00
  return concat(jpeg.subarray(0, cutAt), [0xff, 0xd9]);
}

/** A progressive JPEG closed with an end marker after its first `scans` scans (its coarse passes). */
export async function jpegFirstPasses(width: number, height: number, scans = 2): Promise<Bytes> {
  const jpeg = new Uint8Array(await photoLike(width, height).jpeg({ quality: 90, progressive: true }).toBuffer());
  let at = 2;
  for (let seen = 0; seen < scans;) {
    const end = at + 2 + ((jpeg[at + 2]! << 8) | jpeg[at + 3]!);
    if (jpeg[at + 1] === 0xda) {
      at = scanEnd(jpeg, end);
      seen++;
    } else at = end;
  }
  return concat(jpeg.subarray(0, at), [0xff, 0xd9]);
}

/** The bytes of an HEIC file's start (ftyp brand heic): what an iPhone's photo begins with. */
export function heicSignature(): Bytes {
  return concat(u32be(24), latin1('ftypheic'), u32be(0), latin1('mif1heic'), new Uint8Array(64));
}

/** What the app must do with a file of the mixed folder: refuse it with this reason, or show it at this size. */
export interface FolderEntry {
  name: string;
  bytes: Bytes;
  refused?: RegExp;
  decoded?: { width: number; height: number };
  /** A note the accepted photo must carry. */
  notice?: RegExp;
}

/** One file of every hostile and unusual kind, with what the app must make of it. */
export async function mixedFolder(): Promise<FolderEntry[]> {
  const cutJpeg = new Uint8Array(await photoLike(160, 120).jpeg().toBuffer());
  return [
    {
      name: 'gif-frame-bomb.gif',
      bytes: gifFrameBomb(),
      refused: /16000×16000 pixels \(256 MP\) is over the 50 MP limit/,
    },
    {
      name: 'gif-frame-overflow.gif',
      bytes: await gifFrameOverflowingScreen(120, 80),
      decoded: { width: 120, height: 80 },
    },
    { name: 'PXL_motion.MP.jpg', bytes: await motionPhoto(160, 120), decoded: { width: 160, height: 120 } },
    { name: 'png-after-iend.png', bytes: await pngWithTrailer(90, 60), decoded: { width: 90, height: 60 } },
    { name: 'png-exif-6.png', bytes: await pngWithExifOrientation(90, 60, 6), decoded: { width: 60, height: 90 } },
    { name: 'two-exif-6-then-1.jpg', bytes: await jpegWithTwoExif(90, 60, 6, 1), decoded: { width: 60, height: 90 } },
    {
      name: 'cut-in-scan.jpg',
      bytes: cutJpeg.subarray(0, Math.floor(cutJpeg.length * 0.7)),
      refused: /truncated JPEG/,
    },
    {
      name: 'avif-clap.avif',
      bytes: await avifWithCrop(256, 64, { width: 64, height: 64 }),
      decoded: { width: 64, height: 64 },
    },
    { name: 'strip-40000x20.png', bytes: await strip(40000, 20), decoded: { width: 40000, height: 20 } },
    { name: 'strip-1x30000.png', bytes: await strip(1, 30000), decoded: { width: 1, height: 30000 } },
    { name: 'IMG_0001.HEIC', bytes: heicSignature(), refused: /HEIC\/HEIF photos cannot be decoded by browsers/ },
    {
      name: 'scan-cut-short.jpg',
      bytes: await jpegScanCutShort(160, 120),
      decoded: { width: 160, height: 120 },
      notice: /JPEG data stops before the image ends/,
    },
    {
      name: 'progressive-first-passes.jpg',
      bytes: await jpegFirstPasses(160, 120),
      decoded: { width: 160, height: 120 },
      notice: /progressive JPEG holds only its first passes/,
    },
  ];
}

/** A PNG of extreme aspect ratio (a gradient along its length). */
async function strip(width: number, height: number): Promise<Bytes> {
  return new Uint8Array(await photoLike(width, height).png({ compressionLevel: 9 }).toBuffer());
}

/**
 * An AVIF encoded by sharp, then given a clean-aperture (`clap`) crop to `crop` at its top-left corner: the browser decodes `width`×`height` and shows the crop. Written for sharp's layout
 * (ftyp, meta with iloc v0 and one ipma entry, then mdat), which the asserts check.
 */
export async function avifWithCrop(
  width: number,
  height: number,
  crop: { width: number; height: number },
): Promise<Bytes> {
  const avif = new Uint8Array(await photoLike(width, height).avif({ quality: 60 }).toBuffer());
  const view = new DataView(avif.buffer);
  const boxes = new Map<string, number>();
  const walk = (from: number, to: number): void => {
    for (let at = from; at < to; at += view.getUint32(at)) {
      const type = String.fromCharCode(...avif.subarray(at + 4, at + 8));
      boxes.set(type, at);
      if (type === 'meta') walk(at + 12, at + view.getUint32(at));
      if (type === 'iprp' || type === 'ipco') walk(at + 8, at + view.getUint32(at));
    }
  };
  walk(0, avif.length);
  const [meta, iloc, iprp, ipco, ipma, mdat] = ['meta', 'iloc', 'iprp', 'ipco', 'ipma', 'mdat'].map((t) => {
    const at = boxes.get(t);
    if (at === undefined) throw new Error(`sharp's AVIF has no ${t} box`);
    return at;
  }) as [number, number, number, number, number, number];
  if (!(meta < mdat && avif[iloc + 8] === 0 && view.getUint32(ipma + 12) === 1))
    throw new Error('unexpected AVIF layout');
  // Offsets are from the centre; these put the crop at the top-left corner (the only origin Chromium applies).
  const offsets = [(crop.width - width) / 2, 1, (crop.height - height) / 2, 1];
  const clap = concat(
    u32be(40),
    latin1('clap'),
    ...[crop.width, 1, crop.height, 1, ...offsets].map((n) => u32be(n >>> 0)),
  );
  const grow = clap.length + 1; // the clap box, and one more property association in ipma
  const ipcoEnd = ipco + view.getUint32(ipco);
  const ipmaEnd = ipma + view.getUint32(ipma);
  const propertyIndex = (ipcoEnd - ipco - 8 > 0 ? countChildren(view, ipco + 8, ipcoEnd) : 0) + 1;
  const out = concat(
    avif.subarray(0, ipcoEnd),
    clap,
    avif.subarray(ipcoEnd, ipmaEnd),
    [0x80 | propertyIndex], // essential: a crop changes what is shown
    avif.subarray(ipmaEnd),
  );
  const o = new DataView(out.buffer);
  for (const at of [meta, iprp]) o.setUint32(at, o.getUint32(at) + grow);
  o.setUint32(ipco, o.getUint32(ipco) + clap.length);
  const ipmaOut = ipma + clap.length;
  o.setUint32(ipmaOut, o.getUint32(ipmaOut) + 1);
  o.setUint8(ipmaOut + 18, o.getUint8(ipmaOut + 18) + 1); // the primary item's association count
  // iloc v0: offsets are into the file, and mdat moved by `grow`.
  const sizes = out[iloc + 12]!;
  if (sizes !== 0x44 || out[iloc + 13] !== 0x40) throw new Error('unexpected iloc field sizes');
  const items = o.getUint16(iloc + 14);
  for (let i = 0, at = iloc + 16; i < items; i++) {
    o.setUint32(at + 4, o.getUint32(at + 4) + grow); // base_offset
    at += 8 + 2 + o.getUint16(at + 8) * 8;
  }
  return out;
}

function countChildren(view: DataView, from: number, to: number): number {
  let n = 0;
  for (let at = from; at < to; at += view.getUint32(at)) n++;
  return n;
}
