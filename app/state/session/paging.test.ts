// Maps paged out to the session database (fake-indexeddb): only the photos shown and the last few
// keep theirs in memory, a paged-out map comes back equal when its photo is shown, after a reload
// too, and a removed photo's map survives until its removal can no longer be undone.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Photo } from '../photos.ts';
import type { PhotoMaps } from '../photos.ts';

type Modules = {
  sessions: typeof import('./sessions.ts');
  photos: typeof import('../photos.ts');
  paging: typeof import('./paging.ts');
};

async function load(): Promise<Modules> {
  vi.resetModules();
  const m = {
    sessions: await import('./sessions.ts'),
    photos: await import('../photos.ts'),
    paging: await import('./paging.ts'),
  };
  await m.sessions.startSessions();
  return m;
}

/** Waits for the debounced save (≤ 1 s) and the pager's look after it (0.5 s). */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 1800));

/** A map that differs from photo to photo, so a mix-up shows. */
const saliencyOf = (i: number) => ({
  data: Float32Array.from({ length: 16 }, (_, k) => ((i * 31 + k * 7) % 17) / 16),
  width: 4,
  height: 4,
});
const clipMaskOf = (i: number) => ({
  data: Uint8Array.from({ length: 6 }, (_, k) => (i + k) % 3),
  width: 3,
  height: 2,
});

const histogramOf = (i: number) => {
  const bins = (c: number) => Array.from({ length: 256 }, (_, k) => ((i + c + k) % 5) / 640);
  return { luma: bins(0), red: bins(1), green: bins(2), blue: bins(3) };
};
const gridOf = (i: number) => Array.from({ length: 64 }, (_, k) => (i * 3 + k) % 11);
const detailsOf = (i: number) => ({ histogram: histogramOf(i), sharpnessGrid: gridOf(i) });

const photo = (i: number): Photo => ({
  id: `p${i}`,
  fileName: `${i}.jpg`,
  fileSize: 3,
  file: new Blob([`${i}`]),
  mimeType: 'image/jpeg',
  status: 'done',
  width: 4,
  height: 4,
  score: i,
  saliency: saliencyOf(i),
  clipMask: clipMaskOf(i),
  details: detailsOf(i),
  critique: '',
  critiqueStatus: 'idle',
  timings: {},
});

const state = (m: Modules) => m.photos.usePhotos.getState();
const inMemory = (m: Modules): string[] =>
  state(m)
    .photos.filter((p) => p.saliency || p.clipMask || p.details)
    .map((p) => p.id);
const byId = (m: Modules, id: string): Photo => state(m).photos.find((p) => p.id === id)!;

/** Selects a photo and waits until its maps are back in memory. */
async function show(m: Modules, id: string): Promise<Photo> {
  state(m).select(id);
  await vi.waitFor(() => expect(byId(m, id).saliency).toBeDefined());
  return byId(m, id);
}

/** An empty session database of an earlier version (2: no maps store; 3: maps with no details). */
const olderDatabase = (version: 2 | 3) =>
  openDB('aeslens-session', version, {
    upgrade(db) {
      db.createObjectStore('photos', { keyPath: 'id' }).createIndex('bySession', 'sessionId');
      for (const store of ['files', 'meta', 'state', ...(version === 3 ? ['maps'] : [])]) db.createObjectStore(store);
      db.createObjectStore('sessions', { keyPath: 'id' });
    },
  });

beforeEach(() => {
  vi.stubGlobal('indexedDB', new IDBFactory());
});

describe('paging maps out of memory', () => {
  it('keeps only the shown photo and the last few in memory; the others come back equal', async () => {
    const m = await load();
    const { RESIDENT_MAPS } = m.paging;
    const count = RESIDENT_MAPS + 12;
    state(m).restore(
      Array.from({ length: count }, (_, i) => photo(i)),
      'p0',
    );
    await settle();
    expect(inMemory(m)).toEqual(['p0']);
    // The gallery's fields stay, and every photo still says it has a heatmap.
    expect(state(m).photos.map((p) => p.score)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(state(m).photos.every(m.photos.hasSaliency)).toBe(true);

    for (let i = 1; i < count; i++) {
      const shown = await show(m, `p${i}`);
      expect(shown.saliency).toEqual(saliencyOf(i));
      expect(shown.clipMask).toEqual(clipMaskOf(i));
      expect(shown.details).toEqual(detailsOf(i));
      expect(shown.paged).toBeUndefined();
      expect(inMemory(m).length).toBeLessThanOrEqual(RESIDENT_MAPS + 1);
    }
    // The last ones shown are the ones kept.
    await settle();
    expect(inMemory(m).sort()).toEqual(
      Array.from({ length: RESIDENT_MAPS }, (_, i) => `p${count - RESIDENT_MAPS + i}`).sort(),
    );
    // A photo off screen gives its map to whoever asks, without keeping it in memory.
    const away = byId(m, 'p0');
    expect(away.saliency).toBeUndefined();
    expect(await m.paging.mapsOf(away)).toEqual({
      saliency: saliencyOf(0),
      clipMask: clipMaskOf(0),
      details: detailsOf(0),
    });
    expect(byId(m, 'p0').saliency).toBeUndefined();
  });

  it('restores a session without its maps, which come back when a photo is shown', async () => {
    let m = await load();
    state(m).restore([photo(1), photo(2), photo(3)], 'p2');
    await settle();
    m = await load();
    expect(state(m).photos.map((p) => p.id)).toEqual(['p1', 'p2', 'p3']);
    expect(byId(m, 'p1')).toMatchObject({ paged: { saliency: true, clipMask: true, details: true }, score: 1 });
    expect(byId(m, 'p1').saliency).toBeUndefined();
    expect((await show(m, 'p2')).saliency).toEqual(saliencyOf(2));
    expect((await show(m, 'p3')).clipMask).toEqual(clipMaskOf(3));
    expect(byId(m, 'p3').details).toEqual(detailsOf(3));
  });

  it('gives a restored photo’s maps to whoever asks the moment the session is in the stores', async () => {
    const m = await load();
    state(m).restore([photo(1), photo(2)], 'p2');
    await settle();
    vi.resetModules();
    const photos = await import('../photos.ts');
    const paging = await import('./paging.ts');
    const sessions = await import('./sessions.ts');
    // The measuring and analysis queues look at every change of the stores, the first one included.
    const asked: Promise<PhotoMaps>[] = [];
    const stop = photos.usePhotos.subscribe((s) => {
      const restored = s.photos.find((p) => p.id === 'p1');
      if (restored && asked.length === 0) asked.push(paging.mapsOf(restored));
    });
    await sessions.startSessions();
    stop();
    expect(asked).toHaveLength(1);
    expect((await asked[0])!.saliency).toEqual(saliencyOf(1));
  });

  it('keeps a removed photo’s maps while Undo can bring it back, and drops them once it cannot', async () => {
    const m = await load();
    state(m).restore(
      Array.from({ length: 12 }, (_, i) => photo(i)),
      'p0',
    );
    await settle();
    expect(byId(m, 'p5').saliency).toBeUndefined();
    state(m).remove('p5');
    await settle();
    state(m).undoRemove();
    expect((await show(m, 'p5')).saliency).toEqual(saliencyOf(5));

    state(m).select('p0');
    state(m).remove('p7');
    state(m).forgetRemoved();
    await settle();
    const db = await openDB('aeslens-session');
    const keys = (await db.getAllKeys('maps')) as string[];
    db.close();
    expect(keys.filter((k) => k.startsWith('p7/'))).toEqual([]);
    expect(keys).toContain('p5/saliency');

    // Removed, and the page closes while Undo is still offered: the next visit drops its maps.
    state(m).remove('p6');
    await settle();
    await load();
    await vi.waitFor(async () => {
      const again = await openDB('aeslens-session');
      const left = (await again.getAllKeys('maps')) as string[];
      again.close();
      expect(left.filter((k) => k.startsWith('p6/'))).toEqual([]);
      expect(left).toContain('p5/saliency');
    });
  });

  it('moves the maps of a database of the previous version out of its records', async () => {
    const v2 = await olderDatabase(2);
    const record: Partial<Photo> = photo(4);
    const { saliency, clipMask } = record;
    for (const key of ['file', 'saliency', 'clipMask'] as const) delete record[key];
    const measurement = { attributes: {}, withSaliency: true, clipMask, width: 4, height: 4, timings: {} };
    await v2.put('photos', { ...record, saliency, measurement, sessionId: 's1' });
    await v2.put('files', { file: new Blob(['4']) }, 'p4');
    await v2.put('sessions', { id: 's1', name: 'Session 1', createdAt: 1 });
    await v2.put('meta', { order: ['p4'], selectedId: null, culls: {} }, 's1');
    await v2.put('state', 's1', 'current');
    v2.close();
    const m = await load();
    const restored = byId(m, 'p4');
    expect(restored.measurement).toEqual({ attributes: {}, withSaliency: true, width: 4, height: 4, timings: {} });
    expect((await show(m, 'p4')).saliency).toEqual(saliency);
    expect(byId(m, 'p4').clipMask).toEqual(clipMask);
  });

  it('moves the measured details of a database of the previous version out of its records’ measurements', async () => {
    const v3 = await olderDatabase(3);
    const record: Partial<Photo> = photo(5);
    for (const key of ['file', 'saliency', 'clipMask', 'details'] as const) delete record[key];
    const exposure = { meanLuma: 0.5, contrast: 0.2, clippedHighlights: 0.01, clippedShadows: 0 };
    const focus = { overall: 30, subjectSharpness: null, backgroundSharpness: null, noise: 1.5 };
    const measured = (details?: { histogram: object; sharpnessGrid: number[] }) => ({
      attributes: {
        exposure: { ...exposure, ...(details ? { histogram: details.histogram } : {}) },
        focus: { ...focus, ...(details ? { grid: details.sharpnessGrid } : {}) },
      },
      withSaliency: true,
      width: 4,
      height: 4,
      timings: {},
    });
    await v3.put('photos', { ...record, measurement: measured(detailsOf(5)), sessionId: 's1' });
    await v3.put('maps', saliencyOf(5), 'p5/saliency');
    await v3.put('maps', clipMaskOf(5), 'p5/clipMask');
    await v3.put('files', { file: new Blob(['5']) }, 'p5');
    await v3.put('sessions', { id: 's1', name: 'Session 1', createdAt: 1 });
    await v3.put('meta', { order: ['p5'], selectedId: null, culls: {} }, 's1');
    await v3.put('state', 's1', 'current');
    v3.close();
    const m = await load();
    expect(byId(m, 'p5').measurement).toEqual(measured());
    const db = await openDB('aeslens-session');
    expect(await db.get('maps', 'p5/details')).toEqual(detailsOf(5));
    expect((await db.get('photos', 'p5')).measurement).toEqual(measured());
    db.close();
    expect((await show(m, 'p5')).details).toEqual(detailsOf(5));
    expect(byId(m, 'p5').measurement).toEqual(measured());
  });
});
