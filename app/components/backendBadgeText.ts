// The backend badge's label and tooltip: the weaker backend of the two workers, and whether the critic
// fell back from its half-precision files on this GPU.
import type { BackendInfo } from '../../workers/protocol.ts';

export function backendBadgeText(backends: { iasm?: BackendInfo; critic?: BackendInfo }) {
  const infos = [backends.iasm, backends.critic].filter((b): b is BackendInfo => b !== undefined);
  if (infos.length === 0) return null;
  // Show the weaker backend: if either worker fell back to WASM, the user should know why.
  const shown = infos.find((b) => b.backend === 'wasm') ?? infos[0]!;
  const precision = backends.critic?.backend === 'webgpu' ? backends.critic.precision : undefined;
  if (shown.backend === 'wasm')
    return {
      backend: shown.backend,
      label: `WASM — ${shown.reason ?? 'WebGPU not used'}`,
      title: 'Models run on the CPU (WebAssembly): slower, same results',
    };
  return {
    backend: shown.backend,
    label: `WebGPU${precision ? ' — critic on float32 files' : ''}`,
    title: `Models run on your GPU${shown.adapter ? ` (${shown.adapter})` : ''}${precision ? `; the critic uses ${precision}` : ''}`,
  };
}
