import { describe, expect, it } from 'vitest';
import type { Photo } from '../photos.ts';
import { fromRecord, isKeepable, resumed, sameRecord, toRecord } from './records.ts';

const photo = (patch: Partial<Photo> = {}): Photo => ({
  id: 'p7',
  fileName: 'a.jpg',
  fileSize: 3,
  file: new Blob(['abc']),
  mimeType: 'image/jpeg',
  status: 'done',
  width: 40,
  height: 30,
  critique: 'A quiet frame.',
  critiqueStatus: 'done',
  timings: { decodeMs: 5 },
  score: 5.5,
  saliency: { data: new Float32Array([0.25, 1]), width: 2, height: 1 },
  ...patch,
});

describe('session records', () => {
  it('keep the results and leave out the file, the bitmap, object URLs and the large maps', () => {
    const clipMask = { data: new Uint8Array([0, 1]), width: 2, height: 1 };
    const record = toRecord(photo({ thumbnail: new Blob(['t']), critiqueSpeed: 12, clipMask }));
    expect(Object.keys(record).sort()).toEqual(
      [
        'critique',
        'critiqueStatus',
        'fileName',
        'fileSize',
        'height',
        'id',
        'mimeType',
        'score',
        'status',
        'timings',
        'width',
      ].sort(),
    );
    const file = new Blob(['abc']);
    const back = fromRecord(record, file);
    expect(back).toMatchObject({ id: 'p7', score: 5.5, critique: 'A quiet frame.', file });
    expect(back.saliency).toBeUndefined();
  });

  it('start interrupted work again and leave settled work as it was', () => {
    expect(resumed(photo({ status: 'analysing', score: undefined, saliency: undefined })).status).toBe('queued');
    const critiquing = resumed(photo({ status: 'critiquing', critiqueStatus: 'streaming', critique: 'Half a' }));
    expect(critiquing).toMatchObject({ status: 'critiquing', critiqueStatus: 'queued', critique: '' });
    for (const status of ['done', 'failed', 'cancelled', 'queued'] as const) {
      const p = photo({ status });
      expect(resumed(p)).toBe(p);
    }
    const stopped = photo({ critiqueStatus: 'stopped', critique: 'Kept so far' });
    expect(resumed(stopped)).toBe(stopped);
  });

  it('are written again only when a kept field changed, not token by token while a critique streams', () => {
    const saved = photo({ critiqueStatus: 'streaming', critique: 'A' });
    expect(sameRecord(saved, { ...saved, critique: 'A quiet', timings: { decodeMs: 5 } })).toBe(true);
    expect(sameRecord(saved, { ...saved, displayBitmap: {} as ImageBitmap })).toBe(true);
    const pagedOut = { ...saved, saliency: undefined, paged: { saliency: true, clipMask: false, details: false } };
    expect(sameRecord(toRecord(saved), pagedOut)).toBe(true);
    expect(sameRecord(saved, { ...saved, critiqueStatus: 'done', critique: 'A quiet frame.' })).toBe(false);
    expect(sameRecord(saved, { ...saved, score: 6 })).toBe(false);
  });

  it('are kept once the header was read or the file was refused', () => {
    expect(isKeepable(photo({ mimeType: '', status: 'queued' }))).toBe(false);
    expect(isKeepable(photo({ mimeType: '', status: 'failed' }))).toBe(true);
    expect(isKeepable(photo())).toBe(true);
  });
});
