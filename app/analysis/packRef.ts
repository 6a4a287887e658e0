// The pack reference a worker request carries: the pack's id, plus the files of a model folder the
// user loaded for it.
import type { CriticBackend } from '../../models/packs/critic.ts';
import type { PackRef } from '../../workers/protocol.ts';
import { useModels } from '../state/models.ts';

/** `dtypeSet` (critic packs, a test option): run that backend's dtype set on WASM. */
export function packRef(id: string, dtypeSet?: CriticBackend): PackRef {
  const { localFolders, localIasvit } = useModels.getState();
  const local = localFolders[id];
  const iasvit = localIasvit[id];
  return {
    id,
    ...(local ? { localFiles: local, ...(iasvit ? { localIasvit: iasvit } : {}) } : {}),
    ...(dtypeSet ? { dtypeSet } : {}),
  };
}
