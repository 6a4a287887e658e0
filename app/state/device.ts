// Which critic backend this device will run, known before anything is downloaded: the WebGPU adapter
// is asked first (shader-f16 selects the half-precision files), so the sizes shown before consent are
// what this device will fetch.
import { create } from 'zustand';
import { criticBackend, type CriticBackend } from '../../models/packs/critic.ts';

interface DeviceState {
  /** null until the adapter has answered. */
  backend: CriticBackend | null;
}

export const useDevice = create<DeviceState>()(() => ({ backend: null }));

/** Asks the WebGPU adapter (unless WASM is forced) and records the backend the critic will use. */
export async function probeDevice(forceWasm: boolean): Promise<CriticBackend> {
  const backend = forceWasm ? 'wasm' : await adapterBackend();
  useDevice.setState({ backend });
  return backend;
}

/** The part of WebGPU's navigator.gpu used here (the app's types do not include WebGPU's). */
interface GpuProbe {
  requestAdapter(options?: { powerPreference?: 'high-performance' }): Promise<{ features: ReadonlySet<string> } | null>;
}

async function adapterBackend(): Promise<CriticBackend> {
  const gpu = (navigator as Navigator & { gpu?: GpuProbe }).gpu;
  if (!gpu) return 'wasm';
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) return 'wasm';
  return criticBackend('webgpu', adapter.features.has('shader-f16'));
}
