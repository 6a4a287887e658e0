// Camera data from a photo's EXIF (exifr reads only the metadata segments, not the pixels).
import exifr from 'exifr';

export interface CameraData {
  camera?: string;
  lens?: string;
  /** Millimetres. */
  focalLength?: number;
  fNumber?: number;
  /** Seconds. */
  exposureTime?: number;
  iso?: number;
  /** When it was taken, ms since 1970 (as the camera's clock said). */
  takenAt?: number;
}

interface ExifTags {
  Make?: string;
  Model?: string;
  LensModel?: string;
  FocalLength?: number;
  FNumber?: number;
  ExposureTime?: number;
  ISO?: number;
  DateTimeOriginal?: Date;
}

const HEAD_BYTES = 256 * 1024;

const positive = (n: number | undefined): number | undefined => (n !== undefined && n > 0 ? n : undefined);

/** The camera data the file carries; an empty object when it has none (or no readable EXIF). */
export async function readCameraData(file: Blob): Promise<CameraData> {
  let tags: ExifTags | undefined;
  try {
    // EXIF sits in the file's first segments: the head is enough, whatever the photo's size.
    tags = (await exifr.parse(await file.slice(0, HEAD_BYTES).arrayBuffer(), {
      pick: ['Make', 'Model', 'LensModel', 'FocalLength', 'FNumber', 'ExposureTime', 'ISO', 'DateTimeOriginal'],
    })) as ExifTags | undefined;
  } catch {
    return {};
  }
  if (!tags) return {};
  const make = tags.Make?.trim();
  const model = tags.Model?.trim();
  // "Canon" + "Canon EOS 400D" reads as the model alone.
  const camera =
    model && make && !model.toLowerCase().startsWith(make.toLowerCase().split(' ')[0]!)
      ? `${make} ${model}`
      : (model ?? make);
  const taken = tags.DateTimeOriginal instanceof Date ? tags.DateTimeOriginal.getTime() : undefined;
  const data: CameraData = {
    ...(camera ? { camera } : {}),
    ...(tags.LensModel?.trim() ? { lens: tags.LensModel.trim() } : {}),
    ...(positive(tags.FocalLength) ? { focalLength: tags.FocalLength! } : {}),
    ...(positive(tags.FNumber) ? { fNumber: tags.FNumber! } : {}),
    ...(positive(tags.ExposureTime) ? { exposureTime: tags.ExposureTime! } : {}),
    ...(positive(tags.ISO) ? { iso: tags.ISO! } : {}),
    ...(taken !== undefined && Number.isFinite(taken) ? { takenAt: taken } : {}),
  };
  return data;
}

/** "1/250 s", "0.4 s", "2 s". */
export function formatExposure(seconds: number): string {
  if (seconds >= 0.3) return `${Number(seconds.toFixed(1))} s`;
  return `1/${Math.round(1 / seconds)} s`;
}

/** "Canon EOS 400D DIGITAL · EF-S18-55mm f/3.5-5.6 · 18 mm · f/3.5 · 0.4 s · ISO 100". */
export function describeCamera(c: CameraData): string {
  return [
    c.camera,
    c.lens,
    c.focalLength !== undefined ? `${Number(c.focalLength.toFixed(1))} mm` : undefined,
    c.fNumber !== undefined ? `f/${Number(c.fNumber.toFixed(1))}` : undefined,
    c.exposureTime !== undefined ? formatExposure(c.exposureTime) : undefined,
    c.iso !== undefined ? `ISO ${c.iso}` : undefined,
  ]
    .filter((s): s is string => !!s)
    .join(' · ');
}
