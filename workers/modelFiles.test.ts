import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../models/common/sha256.ts';
import type { PackBase } from '../models/packs/types.ts';
import { loadPackFile } from './modelFiles.ts';

const good = new TextEncoder().encode('the pinned model file');
const pack = async (): Promise<PackBase> => ({
  id: 'test-pack',
  name: 'Test pack',
  description: '',
  license: '',
  fixture: false,
  source: { type: 'hub', repo: 'someone/model', revision: '0'.repeat(40) },
  files: [{ path: 'onnx/model.onnx', bytes: good.byteLength, sha256: await sha256Hex(good) }],
});

/** Cache Storage with one cache, in memory. */
function fakeCaches(entries: Map<string, Uint8Array>) {
  const cache = {
    match: async (url: string) =>
      entries.has(url) ? new Response(entries.get(url)! as Uint8Array<ArrayBuffer>) : undefined,
    put: async (url: string, r: Response) => void entries.set(url, new Uint8Array(await r.arrayBuffer())),
    delete: async (url: string) => entries.delete(url),
  };
  return { open: async () => cache };
}

afterEach(() => vi.unstubAllGlobals());

describe('loadPackFile', () => {
  it('drops a cached copy that no longer matches its pin and downloads the file again', async () => {
    const p = await pack();
    const url = `https://huggingface.co/someone/model/resolve/${'0'.repeat(40)}/onnx/model.onnx`;
    const entries = new Map([[url, new TextEncoder().encode('the pinned model fil!')]]);
    vi.stubGlobal('caches', fakeCaches(entries));
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (u: string) => (fetched.push(u), new Response(good as Uint8Array<ArrayBuffer>)));
    expect(await loadPackFile({ pack: p, path: 'onnx/model.onnx' })).toEqual(good);
    expect(fetched).toEqual([url]);
    expect(entries.get(url)).toEqual(good);
    // The intact copy is read from the cache from now on.
    expect(await loadPackFile({ pack: p, path: 'onnx/model.onnx' })).toEqual(good);
    expect(fetched).toHaveLength(1);
  });

  it('rejects a download that does not match its pin, and caches nothing', async () => {
    const p = await pack();
    const entries = new Map<string, Uint8Array>();
    vi.stubGlobal('caches', fakeCaches(entries));
    vi.stubGlobal('fetch', async () => new Response(new TextEncoder().encode('the pinned model fil!')));
    await expect(loadPackFile({ pack: p, path: 'onnx/model.onnx' })).rejects.toMatchObject({ code: 'bad-model' });
    expect(entries.size).toBe(0);
  });
});
