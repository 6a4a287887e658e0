// Every dtype set the fixture critic pack names writes a critique in Chromium, on WASM (the
// `criticSet` test option: this machine's WebGPU has no shader-f16), with the real exports' input and
// output types; a half-precision set that gives NaN logits or fails to load falls back to the float32
// set, the UI says so, and a device fault (not a corrupt download) is remembered across a reload.
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import type { AesLensTestHooks } from '../app/testing/testHooks.ts';
import { generateSmolvlmFixture } from '../models/fixtures/smolvlm.ts';
import { missingKernelDecoder, nanLogitsDecoder } from '../models/testing/halfPrecisionFailures.ts';
import { CRITIC_BACKENDS, CRITIC_SESSIONS, onnxFile, type CriticBackend } from '../models/packs/critic.ts';
import { findCriticPack } from '../models/packs/registry.ts';
import { realExportTypes } from '../models/testing/criticSessionTypes.ts';
import type { BackendInfo } from '../workers/protocol.ts';
import {
  addPhotos,
  critiqueEveryPhoto,
  GOOD,
  shootSizes,
  shortCritiques,
  waitForAllSettled,
} from './support/plumbing.ts';

test.setTimeout(300_000);
// The service worker would answer the fixture's files from its precache, out of sight of the routes.
test.use({ serviceWorkers: 'block' });

const pack = findCriticPack('fixture-smolvlm')!;
const ONNX_DIR = '/models/fixture/fixture-smolvlm/onnx/';
const Q4F16 = onnxFile('decoder_model_merged', 'q4f16');
const setFiles = (set: CriticBackend) => CRITIC_SESSIONS.map((s) => onnxFile(s, pack.dtypes[set][s])).sort();
// One run per distinct set ('cpu' names the same files as 'wasm').
const SETS = CRITIC_BACKENDS.filter(
  (b, i) => CRITIC_BACKENDS.findIndex((o) => JSON.stringify(pack.dtypes[o]) === JSON.stringify(pack.dtypes[b])) === i,
);

/** The fixture critic's ONNX files the page fetches (workers included), as pack paths, in order. */
function recordOnnx(context: BrowserContext): string[] {
  const fetched: string[] = [];
  context.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith(ONNX_DIR)) fetched.push(`onnx/${path.slice(ONNX_DIR.length)}`);
  });
  return fetched;
}

const criticBackend = (page: Page) =>
  page.evaluate(() => (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest!.backends().critic);

async function critiqueOnePhoto(page: Page, set: CriticBackend): Promise<BackendInfo> {
  await page.goto(`/?packs=fixture&testhooks&criticSet=${set}`);
  await addPhotos(page, [join(GOOD, 'chelsea.png')]);
  const [photo] = await waitForAllSettled(page, 1);
  expect(photo).toMatchObject({ status: 'done', critiqueStatus: 'done' });
  expect(photo!.critique).toMatch(/[a-z]{2,}/);
  return photo!.criticBackend!;
}

/** The check the worker ran on the loaded critic: real exports' types throughout, finite first-step logits. */
function expectRealTypes(info: BackendInfo, set: CriticBackend): void {
  const types = info.check!.sessionTypes;
  expect(Object.keys(types).sort()).toEqual([...CRITIC_SESSIONS].sort());
  expect(Object.keys(types.decoder_model_merged!.inputs)).toContain('past_key_values.0.key');
  expect(types).toEqual(realExportTypes(types, pack.dtypes[set].decoder_model_merged));
  expect(info.check!.firstStep).toBe('finite');
}

test.beforeEach(async ({ page }) => {
  await shortCritiques(page, 6);
  await critiqueEveryPhoto(page);
});

for (const set of SETS)
  test(`the ${set} set (${setFiles(set).join(', ')}) writes a critique in Chromium with the real exports' types`, async ({
    page,
    context,
  }) => {
    const fetched = recordOnnx(context);
    const info = await critiqueOnePhoto(page, set);
    // Exactly this set's files, nothing of another set (a silent fall back to float32 would fetch those).
    expect([...new Set(fetched)].sort()).toEqual(setFiles(set));
    expect(info).toMatchObject({ backend: 'wasm', dtypes: pack.dtypes[set] });
    expect(info.precision).toBeUndefined();
    expectRealTypes(info, set);
    if (set === 'webgpu-f16') {
      const types = info.check!.sessionTypes.decoder_model_merged!;
      expect(types.inputs['past_key_values.0.key']).toBe('float16');
      expect(types.outputs.logits).toBe('float32');
    }
  });

test('a half-precision decoder whose first step gives NaN logits: float32 critique, said in the UI, remembered on reload', async ({
  page,
  context,
}) => {
  const nan = nanLogitsDecoder();
  await context.route(`**${ONNX_DIR}decoder_model_merged_q4f16.onnx`, (route) =>
    route.fulfill({ body: Buffer.from(nan), contentType: 'application/octet-stream' }),
  );
  const fetched = recordOnnx(context);
  const info = await critiqueOnePhoto(page, 'webgpu-f16');
  const reason = 'the first decoding step gave NaN logits';
  expect(info).toMatchObject({ dtypes: pack.dtypes.webgpu, precision: `float32 files: ${reason}` });
  expect(fetched).toContain(Q4F16);
  for (const file of setFiles('webgpu')) expect(fetched).toContain(file);
  expectRealTypes(info, 'webgpu');
  await expect(page.getByTestId('backend-badge')).toContainText('critic on float32 files');
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('title', new RegExp(reason));
  const critique = page.getByRole('region', { name: 'Critique' });
  await critique.getByText('Critic settings').click();
  await expect(critique.getByTestId('critic-files')).toHaveText(
    `Model files: vision fp32, embeddings fp32, decoder q4. The critic uses float32 files: ${reason}.`,
  );
  await shootSizes(page, 'critic-precision-fallback', { fullPagePhone: true });

  // Were the half-precision files loaded again, their NaN logits would give the first reason again.
  await page.reload();
  await expect
    .poll(async () => (await criticBackend(page))?.precision)
    .toBe(`float32 files: half precision failed on this device before: ${reason}`);
  expect((await criticBackend(page))!.dtypes).toEqual(pack.dtypes.webgpu);
  await expect(page.getByTestId('backend-badge')).toContainText('critic on float32 files');
});

test('a half-precision decoder needing a kernel WASM lacks: float32 critique; the load failure is remembered on reload', async ({
  page,
  context,
}) => {
  const noKernel = missingKernelDecoder((await generateSmolvlmFixture())[Q4F16]!);
  await context.route(`**${ONNX_DIR}decoder_model_merged_q4f16.onnx`, (route) =>
    route.fulfill({ body: Buffer.from(noKernel), contentType: 'application/octet-stream' }),
  );
  const info = await critiqueOnePhoto(page, 'webgpu-f16');
  expect(info.dtypes).toEqual(pack.dtypes.webgpu);
  expect(info.precision).toMatch(/^float32 files: the half-precision files failed to load \(.*Kernel not found/);
  await expect(page.getByTestId('backend-badge')).toContainText('critic on float32 files');

  await page.reload();
  await expect
    .poll(async () => (await criticBackend(page))?.precision)
    .toMatch(/^float32 files: half precision failed on this device before: the half-precision files failed to load/);
});

test('a truncated half-precision decoder fails to load: float32 critique, said in the UI; the next load tries it again', async ({
  page,
  context,
}) => {
  const q4f16 = (await generateSmolvlmFixture())[Q4F16]!;
  await context.route(`**${ONNX_DIR}decoder_model_merged_q4f16.onnx`, (route) =>
    route.fulfill({ body: Buffer.from(q4f16.slice(0, q4f16.length >> 1)), contentType: 'application/octet-stream' }),
  );
  const info = await critiqueOnePhoto(page, 'webgpu-f16');
  expect(info.dtypes).toEqual(pack.dtypes.webgpu);
  expect(info.precision).toMatch(/^float32 files: the half-precision files failed to load \(.*corrupt/);
  await expect(page.getByTestId('backend-badge')).toContainText('critic on float32 files');

  // A corrupt file is the download's fault, not the device's: after a reload the half-precision set is tried again.
  await page.reload();
  await expect
    .poll(async () => (await criticBackend(page))?.precision)
    .toMatch(/^float32 files: the half-precision files failed to load \(.*corrupt/);
});
