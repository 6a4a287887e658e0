import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeCamera, formatExposure, readCameraData } from './camera.ts';

const GOOD = join(import.meta.dirname, '../../../../shared/photos/good');

describe('readCameraData', () => {
  // The lens of this Canon is only in its maker notes, which neither reads as EXIF.
  it("reads what exiftool reads from a camera JPEG's EXIF", async () => {
    const path = join(GOOD, 'Storm.jpg');
    const [tool] = JSON.parse(
      execFileSync(
        'exiftool',
        [
          '-j',
          '-n',
          '-EXIF:Model',
          '-EXIF:LensModel',
          '-EXIF:FocalLength',
          '-EXIF:FNumber',
          '-EXIF:ExposureTime',
          '-EXIF:ISO',
          path,
        ],
        {
          encoding: 'utf8',
        },
      ),
    ) as {
      Model: string;
      LensModel: string;
      FocalLength: number;
      FNumber: number;
      ExposureTime: number;
      ISO: number;
    }[];
    const data = await readCameraData(new Blob([readFileSync(path)]));
    expect(data).toMatchObject({
      camera: tool!.Model,
      ...(tool!.LensModel ? { lens: tool!.LensModel } : {}),
      focalLength: tool!.FocalLength,
      fNumber: tool!.FNumber,
      exposureTime: tool!.ExposureTime,
      iso: tool!.ISO,
    });
    expect(data.lens).toBe(tool!.LensModel);
    expect(new Date(data.takenAt!).getFullYear()).toBe(2008);
  });

  it('gives nothing for a photo without EXIF, and leaves out zero focal length and aperture', async () => {
    expect(await readCameraData(new Blob([readFileSync(join(GOOD, 'chelsea.png'))]))).toEqual({});
    const dune = await readCameraData(new Blob([readFileSync(join(GOOD, 'Dune.jpg'))]));
    expect(dune.focalLength).toBeUndefined();
    expect(dune.fNumber).toBeUndefined();
    expect(dune.iso).toBe(100);
  });
});

describe('describeCamera', () => {
  it('writes exposure as photographers do', () => {
    expect(formatExposure(1 / 4000)).toBe('1/4000 s');
    expect(formatExposure(0.4)).toBe('0.4 s');
    expect(describeCamera({ camera: 'X', focalLength: 18, fNumber: 3.5, exposureTime: 0.004, iso: 200 })).toBe(
      'X · 18 mm · f/3.5 · 1/250 s · ISO 200',
    );
  });
});
