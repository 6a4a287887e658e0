import type { BackendInfo } from '../../workers/protocol.ts';
import { useModels } from '../state/models.ts';

/** "WebGPU" or "WASM — <reason>" for the model workers; one badge per distinct backend. */
export function BackendBadge() {
  const backends = useModels((s) => s.backends);
  const infos = [backends.iasm, backends.critic].filter((b): b is BackendInfo => b !== undefined);
  if (infos.length === 0) {
    return (
      <span className="badge badge--pending" data-testid="backend-badge" title="No model has been loaded yet">
        Backend: not started
      </span>
    );
  }
  // Show the weaker backend: if either worker fell back to WASM, the user should know why.
  const wasm = infos.find((b) => b.backend === 'wasm');
  const shown = wasm ?? infos[0]!;
  const label = shown.backend === 'webgpu' ? 'WebGPU' : `WASM — ${shown.reason ?? 'WebGPU not used'}`;
  const title =
    shown.backend === 'webgpu'
      ? `Models run on your GPU${shown.adapter ? ` (${shown.adapter})` : ''}`
      : 'Models run on the CPU (WebAssembly): slower, same results';
  return (
    <span className={`badge badge--${shown.backend}`} data-testid="backend-badge" title={title}>
      {label}
    </span>
  );
}
