// Download sizes shown before consent are what this device will fetch: the adapter is asked first
// (shader-f16 selects the half-precision files), every file counts (config and tokenizer.json too),
// and the panel says what the WASM fallback would add. Expected sizes are the public byte counts of
// SmolVLM-256M-Instruct's files at the pinned commit (models/critic/README.md, "Pins").
import { expect, test, type Page } from '@playwright/test';

// config 7,353 + generation_config 136 + preprocessor 486 + processor 68 + tokenizer.json 3,548,256 + tokenizer_config 28,249
const CONFIG = 3_584_548;
const MB = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const FP16 = CONFIG + 187_294_693 + 56_770_946 + 77_034_560; // vision fp16, embeddings fp16, decoder q4f16
const FP32 = CONFIG + 374_316_497 + 113_541_419 + 86_562_901; // vision fp32, embeddings fp32, decoder q4
const WASM = CONFIG + 94_247_969 + 28_385_824 + 86_562_901; // vision q8, embeddings q8, decoder q4

/** Stand-in for the Hub: the availability probe answers, nothing else is fetched. */
async function reachableHub(page: Page): Promise<void> {
  await page.route(/^https:\/\/([a-z0-9-]+\.)*(huggingface\.co|hf\.co)\//, (route) =>
    route.request().url().includes('/api/models/')
      ? route.fulfill({ status: 200, contentType: 'application/json', body: '{}' })
      : route.abort('connectionreset'),
  );
}

async function criticSize(page: Page) {
  const panel = page.getByRole('dialog', { name: 'Download the models to start' });
  await expect(panel).toBeVisible();
  return { panel, critic: panel.getByRole('listitem').filter({ hasText: 'Written critique' }) };
}

test('WASM: the critic row shows the 8-bit files, exactly; no fallback line', async ({ page }) => {
  await reachableHub(page);
  await page.goto('/?backend=wasm');
  const { panel, critic } = await criticSize(page);
  await expect(critic).toContainText(MB(WASM));
  await expect(critic).not.toContainText('≈');
  await expect(panel.getByTestId('wasm-fallback-size')).toHaveCount(0);
});

test('WebGPU without shader-f16: float32 files, and what a fallback to WASM would add', async ({ page }) => {
  await reachableHub(page);
  await page.goto('/');
  const { panel, critic } = await criticSize(page);
  await expect(critic).toContainText(MB(FP32));
  // WASM shares the decoder and config files with this set: it adds the 8-bit vision encoder and embeddings.
  await expect(panel.getByTestId('wasm-fallback-size')).toContainText(MB(94_247_969 + 28_385_824));
});

test('an adapter with shader-f16: the half-precision files are what the panel counts', async ({ page }) => {
  await page.addInitScript(() => {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter: (o?: unknown) => Promise<unknown> } }).gpu;
    if (!gpu) return;
    const request = gpu.requestAdapter.bind(gpu);
    // The real adapter, reporting shader-f16 as a GPU that has it would.
    gpu.requestAdapter = async (options?: unknown) => {
      const adapter = (await request(options)) as { features: Set<string> } | null;
      if (!adapter) return adapter;
      const features = new Set([...adapter.features, 'shader-f16']);
      return new Proxy(adapter, {
        get: (t, k) => {
          if (k === 'features') return features;
          const v: unknown = Reflect.get(t, k);
          return typeof v === 'function' ? v.bind(t) : v;
        },
      });
    };
  });
  await reachableHub(page);
  await page.goto('/');
  const { panel, critic } = await criticSize(page);
  await expect(critic).toContainText(MB(FP16));
  // From the half-precision set, WASM shares only the config files.
  await expect(panel.getByTestId('wasm-fallback-size')).toContainText(MB(WASM - CONFIG));
});
