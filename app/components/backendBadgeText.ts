// The backend badge's label and tooltip: the weaker backend of the two workers, and whether the critic
// fell back from its half-precision files on this device. Critic settings' line on the critic's files.
import { CRITIC_SESSIONS, type CriticSession } from '../../models/packs/critic.ts';
import type { BackendInfo } from '../../workers/protocol.ts';

export function backendBadgeText(backends: { iasm?: BackendInfo; critic?: BackendInfo }) {
  const infos = [backends.iasm, backends.critic].filter((b): b is BackendInfo => b !== undefined);
  if (infos.length === 0) return null;
  // Show the weaker backend: if either worker fell back to WASM, the user should know why.
  const shown = infos.find((b) => b.backend === 'wasm') ?? infos[0]!;
  const precision = backends.critic?.precision;
  const onFloat32 = precision ? ' — critic on float32 files' : '';
  const uses = precision ? `; the critic uses ${precision}` : '';
  if (shown.backend === 'wasm')
    return {
      backend: shown.backend,
      label: `WASM — ${shown.reason ?? 'WebGPU not used'}${onFloat32}`,
      title: `Models run on the CPU (WebAssembly): slower, same results${uses}`,
    };
  return {
    backend: shown.backend,
    label: `WebGPU${onFloat32}`,
    title: `Models run on your GPU${shown.adapter ? ` (${shown.adapter})` : ''}${uses}`,
  };
}

const SESSION_LABEL: Record<CriticSession, string> = {
  vision_encoder: 'vision',
  embed_tokens: 'embeddings',
  decoder_model_merged: 'decoder',
};

/** Which files the loaded critic runs, per session, and why not the half-precision ones when it fell back. */
export function criticFilesText(critic: BackendInfo | undefined): string | null {
  const dtypes = critic?.dtypes;
  if (!dtypes) return null;
  const files = CRITIC_SESSIONS.map((s) => `${SESSION_LABEL[s]} ${dtypes[s]}`).join(', ');
  return `Model files: ${files}.${critic.precision ? ` The critic uses ${critic.precision}.` : ''}`;
}
