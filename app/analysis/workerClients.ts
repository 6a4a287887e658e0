// The two analysis workers' clients: the IASM (score and heatmap, crops) and the critic, each
// started on first use and stopped when idle.
import { WorkerClient } from '../../workers/client.ts';
import type { CriticRequest, CriticResults, IasmRequest, IasmResults } from '../../workers/protocol.ts';
import { useModels } from '../state/models.ts';

const IDLE_MS = 5 * 60_000;

export type IasmClient = WorkerClient<IasmRequest, IasmResults>;
export type CriticClient = WorkerClient<CriticRequest, CriticResults>;

export function createClients(forceWasm: string | undefined): { iasm: IasmClient; critic: CriticClient } {
  const models = useModels.getState();
  const iasm: IasmClient = new WorkerClient<IasmRequest, IasmResults>(
    () => new Worker(new URL('../../workers/iasm.worker.ts', import.meta.url), { type: 'module', name: 'iasm' }),
    // Downloads and waiting requests stop at once; an ONNX session run cannot be interrupted, so a
    // run still going after the grace period is stopped by terminating the worker.
    {
      idleMs: IDLE_MS,
      cancelGraceMs: 250,
      onReady: (b) => models.setBackend('iasm', b),
      onNotice: (notice) => models.setStorageNotice(notice),
      forceWasm,
    },
  );
  const critic: CriticClient = new WorkerClient<CriticRequest, CriticResults>(
    () => new Worker(new URL('../../workers/critic.worker.ts', import.meta.url), { type: 'module', name: 'critic' }),
    // Generation stops between tokens; give it a moment before terminating.
    { idleMs: IDLE_MS, cancelGraceMs: 3000, onReady: (b) => models.setBackend('critic', b), forceWasm },
  );
  return { iasm, critic };
}
