// Image type and dimensions from the first bytes of a file, without decoding any pixels. This is
// what lets a decompression bomb be refused before the browser allocates its frame.
// Pure functions on bytes: no DOM, unit-tested against the real files in ../shared/photos.

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'avif';

export const MIME_TYPES: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  avif: 'image/avif',
};

export interface SniffedImage {
  format: ImageFormat;
  mimeType: string;
  /** Width and height as stored in the file (before orientation). */
  storedWidth: number;
  storedHeight: number;
  /** EXIF orientation 1..8 (JPEG) or the equivalent of an AVIF `irot`; 1 when absent. */
  orientation: number;
  /** Width and height as displayed (orientation applied: 5..8 swap the sides). */
  width: number;
  height: number;
  /** More than one frame (GIF, animated PNG/WebP): only the first frame is used. */
  animated: boolean;
}

export type SniffResult =
  | { kind: 'image'; image: SniffedImage }
  /** A format we recognise and refuse, or bytes that are not a usable image. */
  | { kind: 'refused'; reason: string }
  /** The header continues past the bytes given: call again with more. */
  | { kind: 'need-more'; bytes: number };

const refused = (reason: string): SniffResult => ({ kind: 'refused', reason });

function image(
  format: ImageFormat,
  storedWidth: number,
  storedHeight: number,
  orientation = 1,
  animated = false,
): SniffResult {
  if (storedWidth <= 0 || storedHeight <= 0) {
    return refused(`the ${format.toUpperCase()} header says ${storedWidth}×${storedHeight} pixels`);
  }
  const swap = orientation >= 5 && orientation <= 8;
  return {
    kind: 'image',
    image: {
      format,
      mimeType: MIME_TYPES[format],
      storedWidth,
      storedHeight,
      orientation,
      width: swap ? storedHeight : storedWidth,
      height: swap ? storedWidth : storedHeight,
      animated,
    },
  };
}

const ascii = (b: Uint8Array, at: number, n: number): string => String.fromCharCode(...b.subarray(at, at + n));
const u16be = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;
const u16le = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32be = (b: Uint8Array, at: number): number =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const u32le = (b: Uint8Array, at: number): number =>
  u32be(Uint8Array.of(b[at + 3]!, b[at + 2]!, b[at + 1]!, b[at]!), 0);
const i32le = (b: Uint8Array, at: number): number => u32le(b, at) | 0;

/**
 * Sniffs `head`, the first bytes of a file of `fileSize` bytes. `tail` (the last few KiB) lets
 * truncated JPEG/PNG files be refused before decoding: browsers may render a partial image grey.
 */
export function sniffImage(head: Uint8Array, fileSize: number, tail: Uint8Array = head): SniffResult {
  if (fileSize === 0) return refused('the file is empty');
  const b = head;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return sniffJpeg(b, fileSize, tail);
  if (b.length >= 8 && ascii(b, 1, 3) === 'PNG' && b[0] === 0x89) return sniffPng(b, fileSize, tail);
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return sniffGif(b, fileSize);
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return sniffWebp(b, fileSize);
  if (b.length >= 2 && ascii(b, 0, 2) === 'BM') return sniffBmp(b, fileSize);
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') return sniffIsoBmff(b, fileSize);
  if (b.length >= 4 && (ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*')) {
    return refused('TIFF images are not supported (save it as JPEG or PNG)');
  }
  if (looksLikeSvg(b)) return refused('SVG images are not accepted (vector files can carry scripts)');
  if (b.length < 16 && fileSize > b.length) return { kind: 'need-more', bytes: 16 };
  return refused('not an image this app can read (JPEG, PNG, WebP, AVIF, GIF or BMP)');
}

function looksLikeSvg(b: Uint8Array): boolean {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, 4096)).trimStart().toLowerCase();
  return (
    text.startsWith('<svg') || ((text.startsWith('<?xml') || text.startsWith('<!doctype svg')) && text.includes('<svg'))
  );
}

// ---------- JPEG: walk the marker segments up to the frame header (SOF), reading EXIF on the way.

function sniffJpeg(b: Uint8Array, fileSize: number, tail: Uint8Array): SniffResult {
  let orientation = 1;
  let at = 2;
  for (;;) {
    if (at + 4 > b.length) return at + 4 > fileSize ? refused('truncated JPEG (no frame header)') : more(at + 4);
    if (b[at] !== 0xff) return refused('corrupt JPEG (bad marker)');
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return refused('corrupt JPEG (no frame header before the image data)');
    const length = u16be(b, at + 2);
    if (length < 2) return refused('corrupt JPEG (bad segment length)');
    const end = at + 2 + length;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof || marker === 0xe1) {
      if (end > b.length) return end > fileSize ? refused('truncated JPEG') : more(end);
    }
    if (marker === 0xe1 && ascii(b, at + 4, 6) === 'Exif\0\0') {
      orientation = exifOrientation(b.subarray(at + 10, end)) ?? orientation;
    }
    if (isSof) {
      if (!hasJpegEnd(tail)) return refused('truncated JPEG (the file ends before the image does)');
      return image('jpeg', u16be(b, at + 7), u16be(b, at + 5), orientation);
    }
    at = end;
  }
}

/** A complete JPEG ends with EOI (FF D9), possibly followed by a little padding. */
function hasJpegEnd(tail: Uint8Array): boolean {
  for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return true;
  return false;
}

/** Orientation tag (0x0112) of IFD0 in a TIFF-structured EXIF block, if present and valid. */
export function exifOrientation(tiff: Uint8Array): number | undefined {
  if (tiff.length < 8) return undefined;
  const little = ascii(tiff, 0, 2) === 'II';
  if (!little && ascii(tiff, 0, 2) !== 'MM') return undefined;
  const u16 = little ? u16le : u16be;
  const u32 = little ? u32le : u32be;
  const ifd = u32(tiff, 4);
  if (ifd + 2 > tiff.length) return undefined;
  const count = u16(tiff, ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return undefined;
    if (u16(tiff, entry) === 0x0112) {
      const value = u16(tiff, entry + 8);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

const more = (bytes: number): SniffResult => ({ kind: 'need-more', bytes });

// ---------- PNG: IHDR is always the first chunk; acTL before IDAT marks an animated PNG.

function sniffPng(b: Uint8Array, fileSize: number, tail: Uint8Array): SniffResult {
  if (ascii(b, 0, 8) !== '\x89PNG\r\n\x1a\n') return refused('corrupt PNG signature');
  if (b.length < 24) return fileSize < 24 ? refused('truncated PNG') : more(24);
  if (ascii(b, 12, 4) !== 'IHDR') return refused('corrupt PNG (no IHDR chunk)');
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  if (!ascii(tail, Math.max(0, tail.length - 12), 12).includes('IEND')) {
    return refused('truncated PNG (the file ends before the image does)');
  }
  let animated = false;
  for (let at = 8; at + 8 <= b.length;) {
    const type = ascii(b, at + 4, 4);
    if (type === 'acTL') animated = true;
    if (type === 'IDAT' || type === 'acTL') break;
    at += 12 + u32be(b, at);
  }
  return image('png', width, height, 1, animated);
}

// ---------- GIF: logical screen size; more than one image descriptor means animated.

function sniffGif(b: Uint8Array, fileSize: number): SniffResult {
  if (b.length < 13) return fileSize < 13 ? refused('truncated GIF') : more(13);
  const width = u16le(b, 6);
  const height = u16le(b, 8);
  return image('gif', width, height, 1, gifFrameCount(b) > 1);
}

/** Counts image descriptors in the bytes available (stops early at 2: that is all we need). */
function gifFrameCount(b: Uint8Array): number {
  const flags = b[10]!;
  let at = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0);
  let frames = 0;
  const skipSubBlocks = (from: number): number => {
    let p = from;
    while (p < b.length && b[p] !== 0) p += b[p]! + 1;
    return p + 1;
  };
  while (at < b.length && frames < 2) {
    const block = b[at];
    if (block === 0x21) at = skipSubBlocks(at + 2);
    else if (block === 0x2c) {
      frames++;
      const local = b[at + 9] ?? 0;
      at += 10 + (local & 0x80 ? 3 * 2 ** ((local & 7) + 1) : 0);
      at = skipSubBlocks(at + 1); // LZW minimum code size, then the data sub-blocks
    } else break;
  }
  return frames;
}

// ---------- WebP: lossy (VP8), lossless (VP8L) or extended (VP8X, which carries the animation flag).

function sniffWebp(b: Uint8Array, fileSize: number): SniffResult {
  if (b.length < 30) return fileSize < 30 ? refused('truncated WebP') : more(30);
  const chunk = ascii(b, 12, 4);
  const data = 20;
  if (chunk === 'VP8 ') {
    if (b[data + 3] !== 0x9d || b[data + 4] !== 0x01 || b[data + 5] !== 0x2a) return refused('corrupt WebP (VP8)');
    return image('webp', u16le(b, data + 6) & 0x3fff, u16le(b, data + 8) & 0x3fff);
  }
  if (chunk === 'VP8L') {
    if (b[data] !== 0x2f) return refused('corrupt WebP (VP8L)');
    const bits = u32le(b, data + 1);
    return image('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') {
    const animated = (b[data]! & 0x02) !== 0;
    return image('webp', u24le(b, data + 4) + 1, u24le(b, data + 7) + 1, 1, animated);
  }
  return refused('corrupt WebP (unknown chunk)');
}

// ---------- BMP: BITMAPCOREHEADER (12 bytes, 16-bit sizes) or BITMAPINFOHEADER and later (32-bit).

function sniffBmp(b: Uint8Array, fileSize: number): SniffResult {
  if (b.length < 26) return fileSize < 26 ? refused('truncated BMP') : more(26);
  const headerSize = u32le(b, 14);
  if (headerSize === 12) return image('bmp', u16le(b, 18), u16le(b, 20));
  if (headerSize < 40) return refused('corrupt BMP header');
  return image('bmp', Math.abs(i32le(b, 18)), Math.abs(i32le(b, 22)));
}

// ---------- AVIF (ISO BMFF): brand in ftyp, size in the ispe property, rotation in irot.

const AVIF_BRANDS = new Set(['avif', 'avis']);

function sniffIsoBmff(b: Uint8Array, fileSize: number): SniffResult {
  const ftypSize = u32be(b, 0);
  if (ftypSize < 16 || ftypSize > b.length)
    return ftypSize > fileSize ? refused('truncated image file') : more(ftypSize);
  const brands = [ascii(b, 8, 4)];
  for (let at = 16; at + 4 <= ftypSize; at += 4) brands.push(ascii(b, at, 4));
  if (!brands.some((brand) => AVIF_BRANDS.has(brand))) {
    const kind = brands.some((brand) => brand.startsWith('hei') || brand === 'mif1') ? 'HEIC/HEIF' : 'this ISO media';
    return refused(`${kind} files are not supported (save it as JPEG, PNG or AVIF)`);
  }
  const meta = findBox(b, ftypSize, b.length, 'meta');
  if (!meta)
    return b.length < fileSize ? more(Math.min(fileSize, b.length * 2)) : refused('corrupt AVIF (no meta box)');
  const iprp = findBox(b, meta.start + 4, meta.end, 'iprp'); // meta is a full box: skip version+flags
  const ipco = iprp && findBox(b, iprp.start, iprp.end, 'ipco');
  if (!ipco) return meta.end > b.length ? more(meta.end) : refused('corrupt AVIF (no item properties)');
  let width = 0;
  let height = 0;
  let rotation = 0;
  for (let at = ipco.start; at + 8 <= ipco.end;) {
    const size = u32be(b, at);
    if (size < 8) break;
    const type = ascii(b, at + 4, 4);
    // The largest ispe bounds the decoded size (grids, alpha planes and thumbnails have their own).
    if (type === 'ispe' && at + 20 <= b.length) {
      const w = u32be(b, at + 12);
      const h = u32be(b, at + 16);
      if (w * h > width * height) [width, height] = [w, h];
    }
    if (type === 'irot' && at + 9 <= b.length) rotation = b[at + 8]! & 3;
    at += size;
  }
  if (width === 0) return ipco.end > b.length ? more(ipco.end) : refused('corrupt AVIF (no image size)');
  // irot is anticlockwise quarter turns; 1 and 3 swap the sides like EXIF 8 and 6.
  return image('avif', width, height, rotation === 1 ? 8 : rotation === 3 ? 6 : rotation === 2 ? 3 : 1);
}

function findBox(b: Uint8Array, from: number, to: number, type: string): { start: number; end: number } | undefined {
  for (let at = from; at + 8 <= Math.min(to, b.length);) {
    let size = u32be(b, at);
    let header = 8;
    if (size === 1 && at + 16 <= b.length) {
      size = u32be(b, at + 12); // 64-bit size; the high word is 0 for anything we would read
      header = 16;
    } else if (size === 0) size = to - at;
    if (size < header) return undefined;
    if (ascii(b, at + 4, 4) === type) return { start: at + header, end: at + size };
    at += size;
  }
  return undefined;
}
