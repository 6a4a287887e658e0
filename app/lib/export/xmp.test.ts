import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Cull } from '../cull/types.ts';
import { sidecarNames, xmpSidecar } from './xmp.ts';

const hasExiftool = ((): boolean => {
  try {
    execFileSync('exiftool', ['-ver']);
    return true;
  } catch {
    return false;
  }
})();

describe('xmpSidecar', () => {
  it('writes stars, a reject as -1, the label by name and a pick as xmpDM:good', () => {
    expect(xmpSidecar({ rating: 4, flag: 'none', label: 'green' })).toMatch(/xmp:Rating="4"\s+xmp:Label="Green"/);
    const reject = xmpSidecar({ rating: 3, flag: 'reject', label: 'none' });
    expect(reject).toContain('xmp:Rating="-1"');
    expect(reject).not.toContain('xmp:Label');
    expect(xmpSidecar({ rating: 0, flag: 'pick', label: 'none' })).toContain('xmpDM:good="True"');
  });

  // CI installs exiftool (.ci/run): there the check must run.
  it.skipIf(!hasExiftool && !process.env.CI)('is read back by exiftool with the same rating, label and pick', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aeslens-xmp-'));
    const culls: Cull[] = [
      { rating: 5, flag: 'pick', label: 'red' },
      { rating: 2, flag: 'reject', label: 'blue' },
      { rating: 0, flag: 'none', label: 'none' },
      { rating: 3, flag: 'none', label: 'purple' },
    ];
    const files = culls.map((c, i) => {
      const path = join(dir, `p${i}.xmp`);
      writeFileSync(path, xmpSidecar(c, 'AesLens & "tests"'));
      return path;
    });
    const read = JSON.parse(
      execFileSync('exiftool', ['-j', '-XMP:Rating', '-XMP:Label', '-XMP:Good', '-XMP:CreatorTool', ...files], {
        encoding: 'utf8',
      }),
    ) as { Rating?: number; Label?: string; Good?: boolean; CreatorTool?: string }[];
    expect(read.map((r) => [r.Rating, r.Label ?? null, r.Good ?? null])).toEqual([
      [5, 'Red', true],
      [-1, 'Blue', null],
      [0, null, null],
      [3, 'Purple', null],
    ]);
    expect(read[0]!.CreatorTool).toBe('AesLens & "tests"');
  });
});

describe('sidecarNames', () => {
  it('puts photo.xmp beside each photo and keeps same-named photos apart', () => {
    expect(sidecarNames(['IMG_1.jpg', 'shoot/IMG_2.JPG', 'IMG_1.png', 'noext', 'a.b.c.webp'])).toEqual([
      'IMG_1.xmp',
      'shoot/IMG_2.xmp',
      'IMG_1.png.xmp',
      'noext.xmp',
      'a.b.c.xmp',
    ]);
  });
});
