// The photos store's own rules: header checks on add, cancel/stop/retry transitions, remove + undo.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { heicSignature } from '../lib/intake/testing/hostileFiles.node.ts';
import { usePhotos } from './photos.ts';
import { sameExceptCritiqueStream } from './critiqueStream.ts';

// The intake worker's check, run here in-thread: the same function the worker serves.
vi.mock('../analysis/intake.ts', async () => ({ checkPhoto: (await import('../lib/intake/index.ts')).sniffPhoto }));

const PHOTOS = join(import.meta.dirname, '../../../shared/photos');
const file = (dir: string, name: string, relativePath = ''): File => {
  const f = new File([readFileSync(join(PHOTOS, dir, name))], name);
  if (relativePath) Object.defineProperty(f, 'webkitRelativePath', { value: relativePath });
  return f;
};
const byName = (name: string) => usePhotos.getState().photos.find((p) => p.fileName === name)!;

beforeEach(() => usePhotos.setState({ photos: [], selectedId: null, removed: [] }));

describe('photos store', () => {
  it('adds files, reading type and size from the header, and fails bad ones with the reason', async () => {
    await usePhotos
      .getState()
      .addFiles([file('good', 'chelsea.png'), file('bad', 'bomb-16384x16384.png'), file('bad', 'script.svg')]);
    expect(byName('chelsea.png')).toMatchObject({ status: 'queued', mimeType: 'image/png', width: 451, height: 300 });
    expect(byName('bomb-16384x16384.png')).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/over the 50 MP limit/),
    });
    expect(byName('script.svg')).toMatchObject({ status: 'failed', error: expect.stringMatching(/SVG/) });
    expect(usePhotos.getState().selectedId).toBe(byName('chelsea.png').id);
  });

  it('skips non-image files from a folder but not files picked one by one', async () => {
    const notes = new File(['hello'], 'notes.txt');
    Object.defineProperty(notes, 'webkitRelativePath', { value: 'trip/notes.txt' });
    await usePhotos
      .getState()
      .addFiles([notes, file('good', 'rocket.jpg', 'trip/rocket.jpg'), new File(['x'], 'loose.txt')]);
    expect(usePhotos.getState().photos.map((p) => p.fileName)).toEqual(['trip/rocket.jpg', 'loose.txt']);
    expect(byName('loose.txt').status).toBe('failed');
  });

  it("takes a folder's .HEIC (no MIME type) and refuses it by its content, saying why", async () => {
    const heic = new File([heicSignature()], 'IMG_0001.HEIC', { type: '' });
    Object.defineProperty(heic, 'webkitRelativePath', { value: 'iphone/IMG_0001.HEIC' });
    await usePhotos.getState().addFiles([heic]);
    expect(byName('iphone/IMG_0001.HEIC')).toMatchObject({ status: 'failed', error: expect.stringMatching(/HEIC/) });
  });

  it('cancel, retry and stop move between the documented states', async () => {
    await usePhotos.getState().addFiles([file('good', 'rocket.jpg')]);
    const { id } = byName('rocket.jpg');
    const s = usePhotos.getState();
    s.update(id, { status: 'analysing' });
    s.cancel(id);
    expect(byName('rocket.jpg').status).toBe('cancelled');
    s.retry(id);
    expect(byName('rocket.jpg').status).toBe('queued');
    s.update(id, { status: 'critiquing', critiqueStatus: 'streaming', critique: 'so far' });
    s.stopCritique(id);
    expect(byName('rocket.jpg')).toMatchObject({ status: 'done', critiqueStatus: 'stopped', critique: 'so far' });
    // Regenerate needs a heatmap to critique.
    s.regenerateCritique(id);
    expect(byName('rocket.jpg').critiqueStatus).toBe('stopped');
    s.update(id, { saliency: { data: new Float32Array(4), width: 2, height: 2 } });
    s.regenerateCritique(id);
    expect(byName('rocket.jpg')).toMatchObject({ critiqueStatus: 'queued', critique: '' });
  });

  it('bad input cannot be retried', async () => {
    await usePhotos.getState().addFiles([file('bad', 'empty.jpg')]);
    usePhotos.getState().retry(byName('empty.jpg').id);
    expect(byName('empty.jpg').status).toBe('failed');
  });

  it('remove puts the photo back in place on undo; a photo removed mid-analysis is analysed again', async () => {
    await usePhotos
      .getState()
      .addFiles([file('good', 'rocket.jpg'), file('good', 'coffee.png'), file('good', 'chelsea.png')]);
    const s = usePhotos.getState();
    const coffee = byName('coffee.png');
    s.update(coffee.id, { status: 'analysing' });
    s.select(coffee.id);
    s.remove(coffee.id);
    expect(usePhotos.getState().photos.map((p) => p.fileName)).toEqual(['rocket.jpg', 'chelsea.png']);
    expect(usePhotos.getState().selectedId).toBe(byName('chelsea.png').id);
    s.undoRemove();
    expect(usePhotos.getState().photos.map((p) => p.fileName)).toEqual(['rocket.jpg', 'coffee.png', 'chelsea.png']);
    expect(byName('coffee.png').status).toBe('queued');
    expect(usePhotos.getState().removed).toEqual([]);
  });

  it('undo is a stack: three removals come back in reverse order, each in its place', async () => {
    const names = ['rocket.jpg', 'coffee.png', 'chelsea.png', 'astronaut.png'];
    await usePhotos.getState().addFiles(names.map((n) => file('good', n)));
    const s = usePhotos.getState();
    for (const n of ['coffee.png', 'rocket.jpg', 'astronaut.png']) s.remove(byName(n).id);
    expect(usePhotos.getState().photos.map((p) => p.fileName)).toEqual(['chelsea.png']);
    expect(s.undoRemove()).toEqual({ id: byName('astronaut.png').id, from: 'gallery' });
    expect(usePhotos.getState().photos.map((p) => p.fileName)).toEqual(['chelsea.png', 'astronaut.png']);
    s.undoRemove();
    s.undoRemove();
    expect(usePhotos.getState().photos.map((p) => p.fileName)).toEqual(names);
    expect(s.undoRemove()).toBeUndefined();
  });

  it('dismissing refusals is not an undoable action and keeps the removed photo restorable', async () => {
    await usePhotos
      .getState()
      .addFiles([file('good', 'rocket.jpg'), file('bad', 'empty.jpg'), file('bad', 'script.svg')]);
    const s = usePhotos.getState();
    s.remove(byName('rocket.jpg').id);
    s.dismiss([byName('empty.jpg').id, byName('script.svg').id]);
    expect(usePhotos.getState().photos).toEqual([]);
    expect(usePhotos.getState().removed.map((r) => r.photo.fileName)).toEqual(['rocket.jpg']);
    s.undoRemove();
    expect(usePhotos.getState().photos.map((p) => p.fileName)).toEqual(['rocket.jpg']);
  });
});

describe('sameExceptCritiqueStream', () => {
  it('ignores the streamed critique text and timings, and nothing else', async () => {
    await usePhotos.getState().addFiles([file('good', 'chelsea.png')]);
    const photo = byName('chelsea.png');
    expect(sameExceptCritiqueStream(photo, { ...photo, critique: 'warm light', timings: { critiqueMs: 5 } })).toBe(
      true,
    );
    expect(sameExceptCritiqueStream(photo, { ...photo, critiqueStatus: 'streaming' })).toBe(false);
    expect(sameExceptCritiqueStream(photo, { ...photo, score: 5.5 })).toBe(false);
    expect(sameExceptCritiqueStream(photo, { ...photo, status: 'done' })).toBe(false);
  });
});
