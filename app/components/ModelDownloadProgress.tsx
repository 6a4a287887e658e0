import { downloadTotals, useModels } from '../state/models.ts';
import { describePack } from './packInfo.ts';
import { formatBytes } from './format.ts';

type Row =
  | { packId: string; name: string; kind: 'download'; loaded: number; total: number }
  | { packId: string; name: string; kind: 'prepare' };

/**
 * The active packs' progress, shown in the studio while photos may wait for them: each file still
 * coming, then the time between the last file and a ready session (graph build, session start).
 */
export function ModelDownloadProgress() {
  const active = useModels((s) => s.active);
  const downloads = useModels((s) => s.downloads);
  const backends = useModels((s) => s.backends);
  const loadFailed = useModels((s) => s.loadFailed);
  if (!active) return null;
  const rows = (['iasm', 'critic'] as const).flatMap((worker): Row[] => {
    const packId = active[worker];
    const files = Object.values(downloads).filter((d) => d.packId === packId);
    if (files.length === 0) return [];
    const name = describePack(packId)?.name ?? packId;
    if (files.some((f) => !f.done)) return [{ packId, name, kind: 'download', ...downloadTotals(downloads, packId) }];
    // A pack that failed to load says why beside the photo that needed it; it is not "preparing".
    return backends[worker] || loadFailed[worker] === packId ? [] : [{ packId, name, kind: 'prepare' }];
  });
  if (rows.length === 0) return null;
  return (
    <div className="model-progress" role="status" data-testid="studio-model-progress">
      {rows.map((r) =>
        r.kind === 'download' ? (
          <div key={r.packId} className="model-progress__row">
            <span>Downloading {r.name}</span>
            <progress
              value={r.total > 0 ? r.loaded : undefined}
              max={r.total > 0 ? r.total : undefined}
              aria-label={`Download of ${r.name}`}
            />
            <span className="model-progress__bytes">
              {formatBytes(r.loaded)}
              {r.total > 0 && ` of ${formatBytes(r.total)}`}
            </span>
          </div>
        ) : (
          <div key={r.packId} className="model-progress__row">
            <span>Preparing {r.name} on this device…</span>
            <progress aria-label={`Preparing ${r.name}`} />
          </div>
        ),
      )}
      <span className="muted">Photos wait in the queue until their models are ready; nothing is lost.</span>
    </div>
  );
}
