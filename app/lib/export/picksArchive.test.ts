import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ReportInput } from './report.ts';
import { picksArchive } from './picksArchive.ts';

const report = (fileName: string, score: number): ReportInput => ({
  fileName,
  width: 30,
  height: 20,
  score,
  critique: `About ${fileName}.`,
  critiqueStopped: false,
  packs: { iasm: null, critic: null },
  settings: {
    colormap: 'turbo',
    opacity: 0.6,
    viewMode: 'overlay',
    outlines: false,
    guidance: true,
    iasvit: false,
    maxNewTokens: 8,
    doSample: false,
  },
  backends: {},
  timings: {},
  regions: [],
  camera: { camera: 'X100V', iso: 160 },
  date: new Date('2026-12-01T10:00:00Z'),
});

describe('the zip of the picks’ reports', () => {
  it('holds each pick’s JSON and Markdown report and its sidecar, named after the photo, unique when names clash', () => {
    const zip = unzipSync(
      picksArchive([
        {
          fileName: 'shoot/IMG_1.jpg',
          cull: { rating: 5, flag: 'pick', label: 'red' },
          report: report('shoot/IMG_1.jpg', 6.5),
        },
        { fileName: 'IMG_1.png', cull: { rating: 0, flag: 'pick', label: 'none' }, report: report('IMG_1.png', 4) },
        { fileName: 'img_1.jpg', cull: { rating: 2, flag: 'pick', label: 'none' }, report: report('img_1.jpg', 5) },
      ]),
    );
    expect(Object.keys(zip)).toEqual([
      'shoot/IMG_1-report.json',
      'shoot/IMG_1-report.md',
      'shoot/IMG_1.xmp',
      'IMG_1-report.json',
      'IMG_1-report.md',
      'IMG_1.xmp',
      'img_1.jpg-report.json',
      'img_1.jpg-report.md',
      'img_1.jpg.xmp',
    ]);
    const json = JSON.parse(strFromU8(zip['shoot/IMG_1-report.json']!));
    expect(json).toMatchObject({
      file: { name: 'shoot/IMG_1.jpg' },
      score: { value: 6.5 },
      camera: { camera: 'X100V', iso: 160 },
    });
    expect(strFromU8(zip['IMG_1-report.md']!)).toMatch(/^# AesLens report: IMG\\_1\.png\n/);
    expect(strFromU8(zip['IMG_1-report.md']!)).toContain('- Camera: X100V · ISO 160');
    expect(strFromU8(zip['shoot/IMG_1.xmp']!)).toMatch(/xmp:Rating="5"\s+xmp:Label="Red"\s+xmpDM:good="True"/);
    expect(strFromU8(zip['img_1.jpg.xmp']!)).toContain('xmp:Rating="2"');
  });
});
