// The critic with the IAS-ViT vision encoder, on the generated SmolVLM fixture and its seeded fusion weights.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as transformers from '@huggingface/transformers';
import { generateSmolvlmFixture, SMOLVLM_FIXTURE_FUSION } from '../fixtures/smolvlm.ts';
import { writeFiles } from '../fixtures/writeFiles.node.ts';
import { CRITIC_PACKS, NO_IASVIT_LABEL } from '../packs/critic.ts';
import { Weights, weightsFromSafetensors, weightsToSafetensors } from '../vit/weights.ts';
import { loadCritic, type Critic, type CriticProgress } from './index.ts';
import { serveFolder, type FolderServer } from '../testing/serveFolder.node.ts';
import { saliencyBlob, testPhoto } from '../testing/criticImages.ts';

const fixture = CRITIC_PACKS.find((p) => p.id === 'fixture-smolvlm')!;
const root = mkdtempSync(join(tmpdir(), 'aeslens-critic-iasvit-'));
transformers.env.cacheDir = join(root, 'cache');
let files: Record<string, Uint8Array>;
let server: FolderServer;
let origin: string;

const dropped = (f: Record<string, Uint8Array>) => ({ type: 'files' as const, files: new Map(Object.entries(f)) });

const photo = (width: number, height: number) => testPhoto(width, height, 13);

beforeAll(async () => {
  files = await generateSmolvlmFixture();
  writeFiles(join(root, 'models', 'fixture', 'fixture-smolvlm'), files);
  server = await serveFolder(root);
  origin = server.origin;
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

// Guidance off: the prompt and the images are the same for every map, so only the encoder sees it.
const plain = { guidance: false, maxNewTokens: 12 };

describe('critic with the IAS-ViT vision encoder', () => {
  let ias: Critic;
  let base: Critic;
  const progress: CriticProgress[] = [];

  beforeAll(async () => {
    ias = await loadCritic(transformers, fixture, {
      device: 'cpu',
      fileSource: dropped(files),
      iasvit: true,
      onProgress: (p) => progress.push(p),
    });
    base = await loadCritic(transformers, fixture, { device: 'cpu', fileSource: dropped(files) });
  }, 120_000);
  afterAll(async () => {
    await ias.dispose();
    await base.dispose();
  });

  it('loads the fusion weights and the base encoder, and says so', () => {
    expect(ias.iasvit).toBe(true);
    expect(base.iasvit).toBe(false);
    expect(ias.files).toContain(SMOLVLM_FIXTURE_FUSION);
    expect(ias.files).toContain('onnx/vision_encoder.onnx');
    expect(ias.files).not.toContain('onnx/vision_encoder_q4.onnx');
    expect(base.files).not.toContain(SMOLVLM_FIXTURE_FUSION);
    expect(progress.filter((p) => p.status === 'done').map((p) => p.file)).toEqual(
      expect.arrayContaining([SMOLVLM_FIXTURE_FUSION, 'onnx/vision_encoder.onnx']),
    );
  });

  it('writes a critique whose words follow the saliency map; without IAS-ViT the map changes nothing', async () => {
    const image = photo(160, 120);
    const maps = [saliencyBlob(0.2, 0.2), saliencyBlob(0.8, 0.7), saliencyBlob(0.5, 0.5)];
    const iasTexts = [];
    const baseTexts = [];
    for (const map of maps) {
      const r = await ias.critique(image, map, plain);
      expect(r.tokens).toBeGreaterThan(0);
      iasTexts.push(r.text);
      baseTexts.push((await base.critique(image, map, plain)).text);
    }
    expect(new Set(baseTexts).size).toBe(1);
    expect(new Set(iasTexts).size).toBeGreaterThan(1);
    // Deterministic: the same map gives the same critique again.
    expect((await ias.critique(image, maps[0]!, plain)).text).toBe(iasTexts[0]);
  }, 120_000);

  it('feeds one saliency frame per image, crops included', async () => {
    const r = await ias.critique(photo(300, 200), saliencyBlob(0.75, 0.25), { guidance: true, maxNewTokens: 4 });
    expect(r.crops.length).toBeGreaterThan(0);
    expect(r.imageTokens).toBe(64 * (1 + r.crops.length));
  }, 60_000);

  it('refuses a photo without a saliency map, and image splitting', async () => {
    await expect(ias.critique(photo(64, 64), null, plain)).rejects.toThrow(/needs the photo's saliency map/);
    await expect(ias.critique(photo(64, 64), saliencyBlob(0.5, 0.5), { ...plain, splitImages: true })).rejects.toThrow(
      /splitting is not supported/,
    );
    expect((await base.critique(photo(64, 64), null, { maxNewTokens: 2 })).tokens).toBeGreaterThan(0);
  }, 60_000);
});

describe('IAS-ViT loading', () => {
  it('builds the same encoder from the HTTP origin, a directory and a dropped folder', async () => {
    const map = saliencyBlob(0.3, 0.6);
    const texts: string[] = [];
    const sources = [
      { origin, fileSource: undefined },
      {
        fileSource: {
          type: 'directory' as const,
          path: join(root, 'models', 'fixture', 'fixture-smolvlm'),
          read: async (path: string) =>
            new Uint8Array(await readFile(join(root, 'models', 'fixture', 'fixture-smolvlm', path))),
        },
      },
      { fileSource: dropped(files) },
    ];
    for (const source of sources) {
      const critic = await loadCritic(transformers, fixture, {
        device: 'cpu',
        iasvit: true,
        ...(source.origin ? { origin: source.origin } : {}),
        ...(source.fileSource ? { fileSource: source.fileSource } : {}),
      });
      texts.push((await critic.critique(photo(96, 96), map, plain)).text);
      await critic.dispose();
    }
    expect(new Set(texts).size).toBe(1);
  }, 180_000);

  it('refuses a pack without trained fusion weights before downloading anything', async () => {
    const real = CRITIC_PACKS.find((p) => p.id === 'smolvlm-256m')!;
    await expect(
      loadCritic(transformers, real, { device: 'cpu', iasvit: true, hubHost: 'http://127.0.0.1:9/' }),
    ).rejects.toThrow(NO_IASVIT_LABEL);
  });

  it('refuses all-zero fusion weights (never presented as saliency-enhanced)', async () => {
    const fusion = weightsFromSafetensors(files[SMOLVLM_FIXTURE_FUSION]!);
    const zeroed = new Map(
      fusion.names().map((name) => {
        const w = fusion.get(name);
        return [name, /out_proj/.test(name) ? { data: new Float32Array(w.data.length), dims: w.dims } : w] as const;
      }),
    );
    const zero = weightsToSafetensors(new Weights(new Map(zeroed), fusion.metadata));
    await expect(
      loadCritic(transformers, fixture, {
        device: 'cpu',
        iasvit: true,
        fileSource: dropped({ ...files, [SMOLVLM_FIXTURE_FUSION]: zero }),
      }),
    ).rejects.toThrow(/untrained/);
  });

  it('names a missing fusion file', async () => {
    const rest = { ...files };
    delete rest[SMOLVLM_FIXTURE_FUSION];
    await expect(
      loadCritic(transformers, fixture, { device: 'cpu', iasvit: true, fileSource: dropped(rest) }),
    ).rejects.toThrow(/missing: iasvit\/fusion\.safetensors/);
  });
});
