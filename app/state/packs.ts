// Pack selection and first run. Order: `?packs=` in the URL (no panel, not remembered),
// else the choice remembered in localStorage, else the default packs if already cached, else the
// first-run panel — which first checks (with one tiny request) whether the model host answers,
// and offers the demo packs if it does not. Nothing large is downloaded before the user chooses.
import { findCriticPack, findIasmPack, PACK_GROUPS, resolvePackSelection } from '../../models/packs/registry.ts';
import type { PackBase } from '../../models/packs/types.ts';
import { MODEL_CACHE, packFileUrl, TRANSFORMERS_CACHE } from '../../models/packs/urls.ts';
import { useModels, type SelectionOrigin } from './models.ts';

const STORAGE_KEY = 'aeslens-packs';
const HOST_PROBE_TIMEOUT_MS = 8000;

function activate(spec: string, origin: SelectionOrigin): void {
  const { iasm, critic } = resolvePackSelection(spec);
  useModels.getState().setActive({ iasm: iasm.id, critic: critic.id, demo: iasm.fixture || critic.fixture, origin });
}

function remembered(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function remember(spec: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, spec);
  } catch {
    // Storage disabled: the choice lasts for this visit only.
  }
}

/** Runs once at start-up. */
export async function initPackSelection(search: string = window.location.search): Promise<void> {
  const { setFirstRun } = useModels.getState();
  const fromUrl = new URLSearchParams(search).get('packs');
  if (fromUrl) {
    try {
      activate(fromUrl, 'url');
      return;
    } catch (err) {
      setFirstRun('choose', { selectionError: `The link's ?packs= was not used: ${(err as Error).message}` });
    }
  }
  const saved = remembered();
  if (saved) {
    try {
      activate(saved, 'remembered');
      return;
    } catch {
      // A pack from an older version: ask again.
    }
  }
  if (await defaultPacksCached()) {
    activate('default', 'remembered');
    return;
  }
  await offerFirstRun(fromUrl ? useModels.getState().selectionError : undefined);
}

/** Shows the first-run panel, saying whether the model host can be reached. */
async function offerFirstRun(selectionError?: string): Promise<void> {
  const hostError = await probeModelHost();
  const detail = {
    ...(selectionError ? { selectionError } : {}),
    ...(hostError ? { hostError, demoCached: await demoPacksCached() } : {}),
  };
  useModels.getState().setFirstRun(hostError ? 'host-unreachable' : 'choose', detail);
}

/** The user's choice in the panel (or the Models view): activates and remembers it; the download starts right after. */
export function choosePacks(spec: string): void {
  activate(spec, 'chosen');
  remember(spec);
}

/** One click from the panel when the host is unreachable. */
export function useDemoPacks(): void {
  choosePacks('fixture');
}

/** Closes the first-run panel without a choice; nothing is downloaded. */
export function dismissFirstRun(): void {
  useModels.getState().setFirstRun('dismissed');
}

/** "Try again" on the unreachable-host panel, and reopening the panel after it was dismissed. */
export async function retryModelHost(): Promise<void> {
  useModels.getState().setFirstRun('resolving');
  await offerFirstRun();
}

/** Whether the real default packs' files are all in Cache Storage already. */
async function defaultPacksCached(): Promise<boolean> {
  const group = PACK_GROUPS.default!;
  const iasm = findIasmPack(group.iasm);
  const critic = findCriticPack(group.critic);
  if (!iasm || !critic) return false;
  try {
    const [ours, transformers] = await Promise.all([caches.open(MODEL_CACHE), caches.open(TRANSFORMERS_CACHE)]);
    for (const f of iasm.files) if (!(await ours.match(packFileUrl(iasm, f.path)))) return false;
    // transformers.js caches under the resolve URL; the critic's ONNX files differ per backend, so the config is the marker.
    return (await transformers.match(packFileUrl(critic, 'config.json'))) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Whether the demo packs are on this device: the service worker precaches them with the app, so
 * the score model's files and the critic's config (the critic's ONNX files differ per backend) mark them.
 */
async function demoPacksCached(): Promise<boolean> {
  const group = PACK_GROUPS.fixture!;
  const iasm = findIasmPack(group.iasm);
  const critic = findCriticPack(group.critic);
  if (!iasm || !critic) return false;
  const urls = [...iasm.files.map((f) => packFileUrl(iasm, f.path)), packFileUrl(critic, 'config.json')];
  try {
    // The precache adds a revision query to each URL.
    for (const url of urls) if (!(await caches.match(url, { ignoreSearch: true }))) return false;
    return true;
  } catch {
    return false;
  }
}

/**
 * One small request to the host of the default packs: undefined when it answers, else why not.
 * Fixture packs live on our origin and need no probe.
 */
export async function probeModelHost(): Promise<string | undefined> {
  const pack: PackBase | undefined = findIasmPack(PACK_GROUPS.default!.iasm);
  if (!pack || pack.source.type !== 'hub') return undefined;
  if (!navigator.onLine) return 'You are offline.';
  const url = `https://huggingface.co/api/models/${pack.source.repo}`;
  try {
    const response = await fetch(url, {
      credentials: 'omit',
      cache: 'no-store',
      signal: AbortSignal.timeout(HOST_PROBE_TIMEOUT_MS),
    });
    return response.ok ? undefined : `huggingface.co answered HTTP ${response.status}.`;
  } catch (err) {
    const timedOut = err instanceof DOMException && err.name === 'TimeoutError';
    return timedOut ? 'huggingface.co did not answer in time.' : 'huggingface.co cannot be reached.';
  }
}
