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
  /** Width and height as displayed (orientation applied: 5..8 swap the sides; an AVIF's crop applied). */
  width: number;
  height: number;
  /**
   * Pixels the browser allocates to decode it, which the size limit applies to: more than the
   * displayed area when a GIF's first frame overflows its screen or an AVIF is cropped after decoding.
   */
  decodedPixels: number;
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
  decodedPixels = storedWidth * storedHeight,
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
      decodedPixels: Math.max(decodedPixels, storedWidth * storedHeight),
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

/** Sniffs `head`, the first bytes of a file of `fileSize` bytes (whether its image data is complete: structure.ts). */
export function sniffImage(head: Uint8Array, fileSize: number): SniffResult {
  if (fileSize === 0) return refused('the file is empty');
  const b = head;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return sniffJpeg(b, fileSize);
  if (b.length >= 8 && ascii(b, 1, 3) === 'PNG' && b[0] === 0x89) return sniffPng(b, fileSize);
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

function sniffJpeg(b: Uint8Array, fileSize: number): SniffResult {
  let orientation: number | undefined;
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
    // Browsers take the first EXIF block's orientation when a file has two.
    if (marker === 0xe1 && orientation === undefined && ascii(b, at + 4, 6) === 'Exif\0\0') {
      orientation = exifOrientation(b.subarray(at + 10, end)) ?? 1;
    }
    if (isSof) return image('jpeg', u16be(b, at + 7), u16be(b, at + 5), orientation ?? 1);
    at = end;
  }
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

// ---------- PNG: IHDR is always the first chunk; before IDAT, acTL marks an animated PNG and eXIf
// may carry an orientation, which browsers apply.

function sniffPng(b: Uint8Array, fileSize: number): SniffResult {
  if (ascii(b, 0, 8) !== '\x89PNG\r\n\x1a\n') return refused('corrupt PNG signature');
  if (b.length < 24) return fileSize < 24 ? refused('truncated PNG') : more(24);
  if (ascii(b, 12, 4) !== 'IHDR') return refused('corrupt PNG (no IHDR chunk)');
  let animated = false;
  let orientation = 1;
  for (let at = 8; ;) {
    if (at + 8 > b.length) return at + 8 > fileSize ? refused('truncated PNG (no image data)') : more(at + 8);
    const length = u32be(b, at);
    const type = ascii(b, at + 4, 4);
    if (type === 'IDAT') break;
    if (type === 'acTL') animated = true;
    if (type === 'eXIf') {
      const end = at + 8 + length;
      if (end > b.length) return end > fileSize ? refused('truncated PNG') : more(end);
      const exif = b.subarray(at + 8, end);
      // Some writers keep the JPEG APP1 prefix.
      orientation = exifOrientation(ascii(exif, 0, 6) === 'Exif\0\0' ? exif.subarray(6) : exif) ?? 1;
    }
    at += 12 + length;
  }
  return image('png', u32be(b, 16), u32be(b, 20), orientation, animated);
}

// ---------- GIF: browsers grow the logical screen to hold the first frame, so a 16×16 screen with
// a 16000² first frame decodes at 16000²; a second image descriptor means animated.

function sniffGif(b: Uint8Array, fileSize: number): SniffResult {
  if (b.length < 13) return fileSize < 13 ? refused('truncated GIF') : more(13);
  const frames = gifFrames(b);
  if (frames.first === undefined && frames.stoppedAt !== undefined) {
    return frames.stoppedAt >= fileSize ? refused('truncated GIF (no image data)') : more(frames.stoppedAt + 10);
  }
  if (!frames.first) return refused('corrupt GIF (no image data)');
  const width = Math.max(u16le(b, 6), frames.first.right);
  const height = Math.max(u16le(b, 8), frames.first.bottom);
  return image('gif', width, height, 1, frames.count > 1);
}

interface GifFrames {
  /** The first frame's extent on the screen. */
  first?: { right: number; bottom: number };
  /** Frames seen (counting stops at 2: that is all we need). */
  count: number;
  /** Where the bytes given ran out before the count was settled. */
  stoppedAt?: number;
}

function gifFrames(b: Uint8Array): GifFrames {
  const flags = b[10]!;
  let at = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0);
  const result: GifFrames = { count: 0 };
  const skipSubBlocks = (from: number): number => {
    let p = from;
    while (p < b.length && b[p] !== 0) p += b[p]! + 1;
    return p + 1;
  };
  while (result.count < 2) {
    if (at >= b.length) return { ...result, stoppedAt: at };
    const block = b[at];
    if (block === 0x21) at = skipSubBlocks(at + 2);
    else if (block === 0x2c) {
      if (at + 10 > b.length) return { ...result, stoppedAt: at };
      result.count++;
      result.first ??= { right: u16le(b, at + 1) + u16le(b, at + 5), bottom: u16le(b, at + 3) + u16le(b, at + 7) };
      const local = b[at + 9]!;
      at += 10 + (local & 0x80 ? 3 * 2 ** ((local & 7) + 1) : 0);
      at = skipSubBlocks(at + 1); // LZW minimum code size, then the data sub-blocks
    } else break;
  }
  return result;
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

// ---------- AVIF (ISO BMFF): brand in ftyp, size in the ispe property, crop in clap (applied by
// browsers after decoding at the ispe size), rotation in irot.

const AVIF_BRANDS = new Set(['avif', 'avis']);

function sniffIsoBmff(b: Uint8Array, fileSize: number): SniffResult {
  const ftypSize = u32be(b, 0);
  if (ftypSize < 16 || ftypSize > b.length)
    return ftypSize > fileSize ? refused('truncated image file') : more(ftypSize);
  const brands = [ascii(b, 8, 4)];
  for (let at = 16; at + 4 <= ftypSize; at += 4) brands.push(ascii(b, at, 4));
  if (!brands.some((brand) => AVIF_BRANDS.has(brand))) {
    if (brands.some((brand) => brand.startsWith('hei') || brand === 'mif1')) {
      return refused(
        'HEIC/HEIF photos cannot be decoded by browsers (export it as JPEG, or set the iPhone camera to Most Compatible)',
      );
    }
    return refused('this ISO media file is not an image browsers decode (save it as JPEG, PNG or AVIF)');
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
  let crop: CleanAperture | undefined;
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
    if (type === 'clap' && at + 40 <= b.length) crop = cleanAperture(b, at + 8);
    at += size;
  }
  if (width === 0) return ipco.end > b.length ? more(ipco.end) : refused('corrupt AVIF (no image size)');
  const shown = crop && croppedAtOrigin(crop, width, height) ? crop : { width, height };
  // irot is anticlockwise quarter turns; 1 and 3 swap the sides like EXIF 8 and 6.
  const orientation = rotation === 1 ? 8 : rotation === 3 ? 6 : rotation === 2 ? 3 : 1;
  return image('avif', shown.width, shown.height, orientation, false, width * height);
}

interface CleanAperture {
  width: number;
  height: number;
  /** Offset of the crop's centre from the image's centre. */
  dx: number;
  dy: number;
}

/** The clean aperture's whole-pixel size and offset (a fractional size is invalid, and ignored as browsers do). */
function cleanAperture(b: Uint8Array, at: number): CleanAperture | undefined {
  const [wn, wd, hn, hd] = [u32be(b, at), u32be(b, at + 4), u32be(b, at + 8), u32be(b, at + 12)];
  const [xn, xd, yn, yd] = [u32be(b, at + 16) | 0, u32be(b, at + 20), u32be(b, at + 24) | 0, u32be(b, at + 28)];
  if (wd === 0 || hd === 0 || xd === 0 || yd === 0 || wn % wd !== 0 || hn % hd !== 0) return undefined;
  if (wn === 0 || hn === 0) return undefined;
  return { width: wn / wd, height: hn / hd, dx: xn / xd, dy: yn / yd };
}

/** Chromium applies a crop only when it starts at the top-left corner; other crops show the whole image. */
function croppedAtOrigin(crop: CleanAperture, width: number, height: number): boolean {
  if (crop.width > width || crop.height > height) return false;
  return (width - crop.width) / 2 + crop.dx === 0 && (height - crop.height) / 2 + crop.dy === 0;
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
