// Photo pixels -> the model's input tensors. The one place that owns a pack's preprocessing: the
// worker and the CLI call preprocessPhoto; what scores a crop calls preprocessScore.
import type { IasmInputSpec } from '../packs/iasm.ts';
import { resizeBicubic, type Window } from './resample.ts';

/** RGBA pixels, row-major. */
export interface RgbaImage {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** A rectangle in photo pixels (fractional where a resize boundary falls between pixels). */
export interface PhotoRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** NCHW float32 [1, 3, H, W] from RGBA: (value / 255 − mean) / std per channel; alpha is ignored. */
export function rgbaToNchw(image: RgbaImage, spec: Pick<IasmInputSpec, 'mean' | 'std'>): Float32Array {
  const { data, width, height } = image;
  const plane = width * height;
  if (data.length !== plane * 4)
    throw new Error(`RGBA data has ${data.length} bytes, expected ${plane * 4} for ${width}×${height}`);
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const scale = 1 / (255 * spec.std[c]!);
    const shift = spec.mean[c]! / spec.std[c]!;
    for (let i = 0; i < plane; i++) out[c * plane + i] = data[i * 4 + c]! * scale - shift;
  }
  return out;
}

/**
 * CLIPImageProcessor's geometry: the shortest side resized to the crop side (the longer one to
 * ⌊side · long / short⌋), then the centred crop, offset ⌊(resized − crop) / 2⌋.
 */
export function centreCropGeometry(
  width: number,
  height: number,
  side: number,
): { resizedWidth: number; resizedHeight: number; window: Window; region: PhotoRect } {
  const short = Math.min(width, height);
  const resizedWidth = width === short ? side : Math.floor((side * width) / short);
  const resizedHeight = height === short ? side : Math.floor((side * height) / short);
  const window = {
    x: Math.floor((resizedWidth - side) / 2),
    y: Math.floor((resizedHeight - side) / 2),
    width: side,
    height: side,
  };
  const sx = width / resizedWidth;
  const sy = height / resizedHeight;
  return {
    resizedWidth,
    resizedHeight,
    window,
    region: { x: window.x * sx, y: window.y * sy, width: side * sx, height: side * sy },
  };
}

export interface PackInputs {
  /** The score's input tensor values, NCHW [1, 3, height, width]. */
  score: Float32Array;
  /** The part of the photo the score input shows. */
  scoreRegion: PhotoRect;
  /** The saliency's input: the whole photo resized to the input size; `score` itself when they coincide. */
  whole: Float32Array;
}

type CropGeometry = ReturnType<typeof centreCropGeometry>;

/** The whole photo resized to the input size (bicubic, aspect not kept), as NCHW values. */
function wholeInput(photo: RgbaImage, spec: IasmInputSpec): Float32Array {
  return rgbaToNchw(resizeBicubic(photo, spec.width, spec.height), spec);
}

/**
 * The centre crop's geometry for a 'centre-crop' pack, or null where the score input is the
 * whole-photo input ('stretch' packs, and photos whose resized crop is the whole resized photo).
 */
function scoreCrop(photo: RgbaImage, spec: IasmInputSpec): CropGeometry | null {
  if (photo.width === 0 || photo.height === 0) throw new Error('empty image');
  if (spec.resize === 'stretch') return null;
  if (spec.width !== spec.height)
    throw new Error(`a centre crop needs a square input (got ${spec.width}×${spec.height})`);
  const crop = centreCropGeometry(photo.width, photo.height, spec.width);
  return crop.resizedWidth === spec.width && crop.resizedHeight === spec.height ? null : crop;
}

const wholeRegion = (photo: RgbaImage): PhotoRect => ({ x: 0, y: 0, width: photo.width, height: photo.height });

function cropInput(
  photo: RgbaImage,
  spec: IasmInputSpec,
  crop: CropGeometry,
): Pick<PackInputs, 'score' | 'scoreRegion'> {
  const cropped = resizeBicubic(photo, crop.resizedWidth, crop.resizedHeight, crop.window);
  return { score: rgbaToNchw(cropped, spec), scoreRegion: crop.region };
}

/**
 * The pack's inputs for a photo at any size. 'centre-crop' packs score the centre crop exactly as
 * CLIPImageProcessor makes it (bicubic, shortest side to the input side, centred crop) and take
 * the saliency from the whole photo resized to the input size (bicubic, aspect not kept), so the
 * heatmap covers every pixel; 'stretch' packs use the whole-photo input for both.
 */
export function preprocessPhoto(photo: RgbaImage, spec: IasmInputSpec): PackInputs {
  const crop = scoreCrop(photo, spec);
  const whole = wholeInput(photo, spec);
  if (!crop) return { score: whole, scoreRegion: wholeRegion(photo), whole };
  return { ...cropInput(photo, spec, crop), whole };
}

/** The score's input alone (preprocessPhoto's `score` and `scoreRegion`), for what needs no map. */
export function preprocessScore(photo: RgbaImage, spec: IasmInputSpec): Pick<PackInputs, 'score' | 'scoreRegion'> {
  const crop = scoreCrop(photo, spec);
  if (!crop) return { score: wholeInput(photo, spec), scoreRegion: wholeRegion(photo) };
  return cropInput(photo, spec, crop);
}
