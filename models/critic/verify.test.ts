import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CriticLoadError } from './errors.ts';
import { sha256Hex } from '../common/sha256.ts';
import { mismatch, pinLookup, verifyingCache, verifyingFetch, type CacheLike } from './verify.ts';

const bytes = new TextEncoder().encode('model bytes');
const sha = createHash('sha256').update(bytes).digest('hex');
const pins = [{ path: 'onnx/decoder.onnx', bytes: bytes.byteLength, sha256: sha }, { path: 'config.json' }];

function mapCache(entries: Record<string, Uint8Array>): CacheLike & { store: Map<string, Uint8Array> } {
  const store = new Map(Object.entries(entries));
  return {
    store,
    match: async (k) => (store.has(k) ? new Response(store.get(k)! as Uint8Array<ArrayBuffer>) : undefined),
    put: async (k, r) => void store.set(k, new Uint8Array(await r.arrayBuffer())),
    delete: async (k) => store.delete(k),
  };
}

describe('pinned file checks', () => {
  it('hashes like node:crypto and finds pins by the path at the end of a URL', async () => {
    expect(await sha256Hex(bytes)).toBe(sha);
    const pinFor = pinLookup(pins)!;
    expect(pinFor('https://host/org/repo/resolve/abc/onnx/decoder.onnx')?.path).toBe('onnx/decoder.onnx');
    expect(pinFor('https://host/org/repo/resolve/abc/onnx/decoder_q4.onnx')).toBeUndefined();
    expect(pinFor('https://host/x/config.json')).toBeUndefined(); // listed, but nothing pinned
    expect(pinLookup([{ path: 'a' }])).toBeUndefined();
  });

  it('reports a wrong size or hash', async () => {
    expect(await mismatch(pins[0]!, bytes)).toBeNull();
    expect(await mismatch(pins[0]!, bytes.slice(1))).toMatch(/bytes instead of/);
    const flipped = bytes.slice();
    flipped[0] = flipped[0]! ^ 1;
    expect(await mismatch(pins[0]!, flipped)).toMatch(/sha256/);
  });

  it('drops a corrupt cached file so it is downloaded again, keeps a good one', async () => {
    const key = 'https://host/m/onnx/decoder.onnx';
    const corrupt = mapCache({ [key]: bytes.slice(2) });
    const cache = verifyingCache(corrupt, pinLookup(pins)!);
    expect(await cache.match(key)).toBeUndefined();
    expect(corrupt.store.has(key)).toBe(false);
    const good = verifyingCache(mapCache({ [key]: bytes }), pinLookup(pins)!);
    expect(new Uint8Array(await (await good.match(key))!.arrayBuffer())).toEqual(bytes);
  });

  it('rejects a corrupt download with a message naming the file, passes others through', async () => {
    const serve = (body: Uint8Array) => async () => new Response(body as Uint8Array<ArrayBuffer>, { status: 200 });
    const bad = verifyingFetch(serve(bytes.slice(3)), pinLookup(pins)!, 'Demo');
    const err = await bad('https://h/m/onnx/decoder.onnx').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CriticLoadError);
    expect((err as CriticLoadError).kind).toBe('corrupt-file');
    expect((err as Error).message).toContain('onnx/decoder.onnx');
    const ok = verifyingFetch(serve(bytes), pinLookup(pins)!, 'Demo');
    expect(new Uint8Array(await (await ok('https://h/m/onnx/decoder.onnx')).arrayBuffer())).toEqual(bytes);
    expect((await bad('https://h/m/config.json')).status).toBe(200);
  });
});
