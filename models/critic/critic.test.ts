// The critic on the generated SmolVLM fixture, loaded through the same loader as remote packs.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as transformers from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { buildFixtureTokenizer, generateSmolvlmFixture } from '../fixtures/smolvlm.ts';
import { writeFiles } from '../fixtures/writeFiles.node.ts';
import { CRITIC_PACKS, criticFilesFor } from '../packs/critic.ts';
import { loadCritic, type Critic, type CriticProgress } from './index.ts';
import { CriticLoadError } from './errors.ts';
import { serveFolder, type FolderServer } from '../testing/serveFolder.node.ts';
import { saliencyBlob, testPhoto } from '../testing/criticImages.ts';
import { sha256Hex } from '../common/sha256.ts';

const pack = CRITIC_PACKS.find((p) => p.id === 'fixture-smolvlm')!;
const root = mkdtempSync(join(tmpdir(), 'aeslens-critic-'));
// In Node, transformers.js stores downloaded ONNX files in its file cache and loads them from there.
transformers.env.cacheDir = join(root, 'cache');
let files: Record<string, Uint8Array>;
let server: FolderServer;
let origin: string;
let requests: string[];

/** Writes the fixture as <root>/models/fixture/<name>/, optionally altered. */
function writeFixture(name: string, alter: (f: Record<string, Uint8Array>) => void = () => {}): string {
  const copy = { ...files };
  alter(copy);
  return writeFiles(join(root, 'models', 'fixture', name), copy);
}

beforeAll(async () => {
  files = await generateSmolvlmFixture();
  writeFixture('fixture-smolvlm');
  server = await serveFolder(root);
  ({ origin, requests } = server);
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

const options = { guidance: true, maxNewTokens: 8 };

describe('critic on the SmolVLM fixture', () => {
  let critic: Critic;

  it('loads the fixture pack from its origin over HTTP, with per-file progress', async () => {
    const progress: CriticProgress[] = [];
    critic = await loadCritic(transformers, pack, { device: 'cpu', origin, onProgress: (p) => progress.push(p) });
    const done = new Set(progress.filter((p) => p.status === 'done').map((p) => p.file));
    for (const file of criticFilesFor(pack, 'cpu')) expect(done).toContain(file);
    expect(requests).toContain('/models/fixture/fixture-smolvlm/onnx/decoder_model_merged_q4.onnx');
    const decoderProgress = progress.filter(
      (p) => p.file === 'onnx/decoder_model_merged_q4.onnx' && p.status === 'progress',
    );
    expect(decoderProgress.at(-1)!.loaded).toBe(files['onnx/decoder_model_merged_q4.onnx']!.byteLength);
    // 'done' says how many bytes arrived (the Models view shows them and ticks the file off).
    for (const p of progress.filter((q) => q.status === 'done'))
      expect([p.file, p.loaded, p.total]).toEqual([p.file, files[p.file]!.byteLength, files[p.file]!.byteLength]);
  });

  it('writes the same greedy critique whether files come from HTTP, a directory or a dropped folder', async () => {
    const reference = await critic.critique(testPhoto(320, 240, 7), saliencyBlob(0.3, 0.3), options);
    expect(reference.tokens).toBe(8);
    expect(reference.text.length).toBeGreaterThan(0);

    const fromDirectory = await loadCritic(transformers, pack, {
      device: 'cpu',
      fileSource: { type: 'directory', path: join(root, 'models', 'fixture', 'fixture-smolvlm') },
    });
    expect((await fromDirectory.critique(testPhoto(320, 240, 7), saliencyBlob(0.3, 0.3), options)).text).toBe(
      reference.text,
    );
    await fromDirectory.dispose();

    const before = requests.length;
    // As a browser gives a dropped directory: paths start with the folder's own name.
    const dropped = new Map(
      Object.entries(files).map(([p, b]) => [`SmolVLM-256M-Instruct/${p}`, new Blob([b as Uint8Array<ArrayBuffer>])]),
    );
    const fromFolder = await loadCritic(transformers, pack, {
      device: 'cpu',
      fileSource: { type: 'files', files: dropped },
    });
    expect((await fromFolder.critique(testPhoto(320, 240, 7), saliencyBlob(0.3, 0.3), options)).text).toBe(
      reference.text,
    );
    await fromFolder.dispose();
    expect(requests.length).toBe(before); // nothing fetched for a dropped folder
  });

  it("decodes greedily with the pack's repetition penalty (the official demos' 1.1)", async () => {
    expect(pack.generation).toMatchObject({ doSample: false, repetitionPenalty: 1.1 });
    const photo = testPhoto(240, 240, 11);
    const words = (text: string) => text.split(/\s+/).filter(Boolean);
    const repeats = (text: string) => words(text).length - new Set(words(text)).size;
    const off = await critic.critique(photo, null, { maxNewTokens: 24, repetitionPenalty: 1 });
    const byDefault = await critic.critique(photo, null, { maxNewTokens: 24 });
    const explicit = await critic.critique(photo, null, { maxNewTokens: 24, repetitionPenalty: 1.1 });
    // An overwhelming penalty forbids every token already in the sequence: no word comes twice.
    const strong = await critic.critique(photo, null, { maxNewTokens: 24, repetitionPenalty: 1e4 });
    expect(repeats(off.text)).toBeGreaterThan(0);
    expect(repeats(strong.text)).toBe(0);
    expect(byDefault.text).toBe(explicit.text);
    expect(byDefault.text).not.toBe(off.text);
  });

  it('streams the critique piece by piece', async () => {
    const pieces: string[] = [];
    const result = await critic.critique(testPhoto(200, 300, 3), null, {
      maxNewTokens: 10,
      onToken: (t) => pieces.push(t),
    });
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join('').trim()).toBe(result.text);
    expect(result.finish).toBe('length');
    expect(result.timings.firstTokenMs).toBeGreaterThan(0);
    expect(result.timings.tokensPerSecond).toBeGreaterThan(0);
  });

  it('stops at the end-of-turn token', async () => {
    const first = (await critic.critique(testPhoto(200, 200, 5), null, { maxNewTokens: 4 })).text.split(' ')[0]!;
    const vocab = (buildFixtureTokenizer().json as { model: { vocab: Record<string, number> } }).model.vocab;
    const firstId = vocab[`\u0120${first}`]!;
    writeFixture('eos-first-word', (f) => {
      f['generation_config.json'] = new TextEncoder().encode(JSON.stringify({ eos_token_id: firstId }));
    });
    const stopsEarly = await loadCritic(transformers, pack, {
      device: 'cpu',
      fileSource: { type: 'url', baseUrl: `${origin}/models/fixture/eos-first-word/` },
    });
    const result = await stopsEarly.critique(testPhoto(200, 200, 5), null, { maxNewTokens: 4 });
    await stopsEarly.dispose();
    expect(result).toMatchObject({ finish: 'eos', tokens: 1 });
  });

  it('stops on abort, mid-generation or before it starts', async () => {
    const controller = new AbortController();
    let seen = 0;
    const result = await critic.critique(testPhoto(200, 200, 5), null, {
      maxNewTokens: 40,
      signal: controller.signal,
      onToken: () => {
        if (++seen === 2) controller.abort();
      },
    });
    expect(result.finish).toBe('aborted');
    expect(result.tokens).toBeLessThan(10);

    const already = AbortSignal.abort();
    const none = await critic.critique(testPhoto(200, 200, 5), null, { maxNewTokens: 40, signal: already });
    expect(none.finish).toBe('aborted');
    expect(none.tokens).toBe(1);
  });

  it('adds up to two salient crops and a grounded line when guided, none when not', async () => {
    const guided = await critic.critique(testPhoto(400, 300, 11), saliencyBlob(0.8, 0.2), options);
    expect(guided.crops.length).toBeGreaterThanOrEqual(1);
    expect(guided.crops[0]!.region).toBe('upper-right third');
    expect(guided.prompt).toMatch(
      /^The most aesthetically salient region.* upper-right third.*Comment on this image from an aesthetic perspective\.$/,
    );
    expect(guided.imageTokens).toBe(64 * (1 + guided.crops.length));
    const plain = await critic.critique(testPhoto(400, 300, 11), saliencyBlob(0.8, 0.2), {
      ...options,
      guidance: false,
    });
    expect(plain.crops).toEqual([]);
    expect(plain.imageTokens).toBe(64);
    expect(plain.prompt).toBe('Comment on this image from an aesthetic perspective.');
  });

  it('critiques extreme strips (2048×1, 1×2048: display copies of 40000×20 and 1×30000 photos), guided and tiled', async () => {
    for (const [w, h] of [
      [2048, 1],
      [1, 2048],
    ] as const) {
      const guided = await critic.critique(testPhoto(w, h, 7), saliencyBlob(0.3, 0.5), options);
      expect(guided.imageTokens, `${w}×${h}`).toBe(64 * (1 + guided.crops.length));
      expect(guided.tokens, `${w}×${h}`).toBeGreaterThan(0);
      const tiled = await critic.critique(testPhoto(w, h, 7), null, { maxNewTokens: 2, splitImages: true });
      expect(tiled.tokens, `${w}×${h}`).toBeGreaterThan(0);
    }
  });

  it("tiles large views as SmolVLM's processor does when asked to split images", async () => {
    // 1200×800 → 2048×1365 → padded to a 4×3 grid of 512² tiles plus the global view: 13 × 64 tokens.
    const tiled = await critic.critique(testPhoto(1200, 800, 3), null, { maxNewTokens: 2, splitImages: true });
    expect(tiled.imageTokens).toBe(13 * 64);
    const single = await critic.critique(testPhoto(1200, 800, 3), null, { maxNewTokens: 2 });
    expect(single.imageTokens).toBe(64);
  });

  it('leaks no session or KV cache across photos: the second photo is critiqued as by a fresh critic', async () => {
    const createSpy = vi.spyOn(ort.InferenceSession, 'create');
    const disposeSpy = vi.spyOn(transformers.DynamicCache.prototype, 'dispose');
    await critic.critique(testPhoto(300, 200, 13), saliencyBlob(0.2, 0.7), options);
    const second = await critic.critique(testPhoto(256, 256, 17), saliencyBlob(0.6, 0.5), options);
    expect(createSpy).not.toHaveBeenCalled();
    expect(disposeSpy).toHaveBeenCalledTimes(2);
    for (const call of disposeSpy.mock.contexts) expect(Object.keys(call as object)).toEqual([]);
    createSpy.mockRestore();
    disposeSpy.mockRestore();

    const fresh = await loadCritic(transformers, pack, { device: 'cpu', origin });
    expect((await fresh.critique(testPhoto(256, 256, 17), saliencyBlob(0.6, 0.5), options)).text).toBe(second.text);
    await fresh.dispose();
    await critic.dispose();
    await expect(critic.critique(testPhoto(10, 10, 1), null)).rejects.toThrow(/disposed/);
  });
});

describe('critic load errors', () => {
  const load = (name: string) =>
    loadCritic(transformers, pack, {
      device: 'cpu',
      fileSource: { type: 'url', baseUrl: `${origin}/models/fixture/${name}/` },
    });

  it('names a missing model file', async () => {
    writeFixture('missing-decoder', (f) => delete f['onnx/decoder_model_merged_q4.onnx']);
    const err = await load('missing-decoder').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CriticLoadError);
    expect((err as CriticLoadError).kind).toBe('missing-file');
    expect((err as Error).message).toContain('onnx/decoder_model_merged_q4.onnx');
  });

  it('names a missing file of a dropped folder by its path in the folder', async () => {
    const partial = new Map(Object.entries(files).filter(([p]) => p !== 'tokenizer.json'));
    const err = await loadCritic(transformers, pack, {
      device: 'cpu',
      fileSource: { type: 'files', files: partial },
    }).catch((e: unknown) => e);
    expect((err as CriticLoadError).kind).toBe('missing-file');
    expect((err as Error).message).toMatch(/missing: fixture-smolvlm\/tokenizer\.json|missing: tokenizer\.json/);
  });

  it('reports a corrupt ONNX file and a corrupt config file', async () => {
    writeFixture('corrupt-onnx', (f) => {
      f['onnx/vision_encoder_quantized.onnx'] = f['onnx/vision_encoder_quantized.onnx']!.slice(0, 200);
    });
    const onnxErr = await load('corrupt-onnx').catch((e: unknown) => e);
    expect((onnxErr as CriticLoadError).kind).toBe('corrupt-file');
    expect((onnxErr as Error).message).toMatch(/ONNX model file .* is corrupt/);

    writeFixture('corrupt-config', (f) => {
      f['config.json'] = new TextEncoder().encode('{ "model_type": "idefics3", ');
    });
    const configErr = await load('corrupt-config').catch((e: unknown) => e);
    expect((configErr as CriticLoadError).kind).toBe('corrupt-file');
  });

  it('checks downloads against the sizes and sha256 a pack pins', async () => {
    const pinned = async (alter: (path: string, sha: string) => string) => ({
      ...pack,
      files: await Promise.all(
        pack.files.map(async (f) => ({
          ...f,
          bytes: files[f.path]!.byteLength,
          sha256: alter(f.path, await sha256Hex(files[f.path]!)),
        })),
      ),
    });
    writeFixture('pinned');
    writeFixture('pinned-again'); // a second name: the first load's files are in the file cache now
    const good = await loadCritic(transformers, await pinned((_, sha) => sha), {
      device: 'cpu',
      fileSource: { type: 'url', baseUrl: `${origin}/models/fixture/pinned/` },
    });
    await good.dispose();
    // The first file loaded, so that no other download is still running when the load fails.
    const wrong = await pinned((path, sha) =>
      path === 'preprocessor_config.json' ? sha.replace(/^./, (c) => (c === '0' ? '1' : '0')) : sha,
    );
    const err = await loadCritic(transformers, wrong, {
      device: 'cpu',
      fileSource: { type: 'url', baseUrl: `${origin}/models/fixture/pinned-again/` },
    }).catch((e: unknown) => e);
    expect((err as CriticLoadError).kind).toBe('corrupt-file');
    expect((err as Error).message).toContain('preprocessor_config.json');
  });

  it('says the host is unreachable and the model not cached, and offers a folder from disk', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const cacheDir = transformers.env.cacheDir;
    transformers.env.cacheDir = join(root, 'empty-cache'); // nothing cached yet
    const err = await loadCritic(transformers, pack, { device: 'cpu', origin: `http://127.0.0.1:${port}` }).catch(
      (e: unknown) => e,
    );
    transformers.env.cacheDir = cacheDir;
    expect((err as CriticLoadError).kind).toBe('unreachable');
    expect((err as Error).message).toBe(
      `The model host 127.0.0.1:${port} cannot be reached and "${pack.name}" is not cached on this device. ` +
        'Connect once to download it, or load a model folder from disk.',
    );
  });
});
