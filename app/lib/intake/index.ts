// Intake of one photo file: header checks (cheap, run for every file at once) and decoding (run
// by the queue one photo at a time).
import { MAX_FILE_BYTES, sizeRefusal } from './limits.ts';
import { sniffImage, type SniffedImage } from './sniff.ts';
import { messageOf } from '../../../models/common/errors.ts';
import { jpegCompleteness, pngCompleteness } from './structure.ts';
import { jpegScanShortfall } from './jpegScan.ts';
import { jpegMissingPasses } from './jpegPasses.ts';

export { decodePhoto, UndecodablePhoto, type DecodedPhoto, type DisplayBitmap } from './decode.ts';
export { DISPLAY_MAX_SIDE, MAX_PIXELS, THUMBNAIL_MAX_SIDE } from './limits.ts';
export type { SniffedImage } from './sniff.ts';

export type PhotoCheck = { ok: true; info: SniffedImage; notice?: string } | { ok: false; reason: string };

const FIRST_READ = 64 * 1024;

const INCOMPLETE_JPEG = 'the JPEG data stops before the image ends: its lower part is shown grey and analysed as such';
const FIRST_PASSES_ONLY =
  'the progressive JPEG holds only its first passes: it is shown and analysed blurred, as a copy cut off while loading';
/** Headers (EXIF with thumbnails, ICC profiles) rarely exceed this; beyond it the file is refused. */
const MAX_HEADER_READ = 8 * 1024 * 1024;

const bytesOf = async (blob: Blob): Promise<Uint8Array> => new Uint8Array(await blob.arrayBuffer());

/** Reads just enough of `file` to know its type and size, and says whether the app accepts it. */
export async function sniffPhoto(file: Blob, fileName: string): Promise<PhotoCheck> {
  if (file.size > MAX_FILE_BYTES) {
    return {
      ok: false,
      reason: `the file is ${Math.round(file.size / 2 ** 20)} MiB, over the ${MAX_FILE_BYTES / 2 ** 20} MiB limit`,
    };
  }
  if (/\.svgz?$/i.test(fileName) || file.type === 'image/svg+xml') {
    return { ok: false, reason: 'SVG images are not accepted (vector files can carry scripts)' };
  }
  try {
    let want = FIRST_READ;
    for (;;) {
      const head = await bytesOf(file.slice(0, Math.min(file.size, want)));
      const result = sniffImage(head, file.size);
      if (result.kind === 'refused') return { ok: false, reason: result.reason };
      if (result.kind === 'image') {
        const info = result.image;
        const tooBig = sizeRefusal(info.width, info.height, info.decodedPixels);
        if (tooBig) return { ok: false, reason: tooBig };
        // Browsers may show a cut-off JPEG or PNG with its missing part grey: refused, judged from its structure.
        const judge = info.format === 'jpeg' ? jpegCompleteness : info.format === 'png' ? pngCompleteness : undefined;
        if (judge) {
          const whole = head.length === file.size ? head : await bytesOf(file);
          const completeness = judge(whole);
          if (!completeness.complete) return { ok: false, reason: completeness.reason };
          // A scan closed early by an end marker is whole by its structure; the browser greys what it never reached.
          if (info.format === 'jpeg' && jpegScanShortfall(whole)) return { ok: true, info, notice: INCOMPLETE_JPEG };
          if (info.format === 'jpeg' && jpegMissingPasses(whole)) return { ok: true, info, notice: FIRST_PASSES_ONLY };
        }
        const notice = info.animated ? 'animated image: only the first frame is analysed' : undefined;
        return { ok: true, info, ...(notice ? { notice } : {}) };
      }
      if (head.length >= file.size || want >= MAX_HEADER_READ) {
        return { ok: false, reason: 'the image header is too large or corrupt' };
      }
      want = Math.min(MAX_HEADER_READ, Math.max(result.bytes, want * 2));
    }
  } catch (err) {
    return { ok: false, reason: `the file could not be read (${messageOf(err)})` };
  }
}
