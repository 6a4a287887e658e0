import { downloadTotals, useModels } from '../state/models.ts';
import { describePack } from './packInfo.ts';
import { formatBytes } from './format.ts';

/** The active packs' download progress, shown in the studio while files are still coming. */
export function ModelDownloadProgress() {
  const active = useModels((s) => s.active);
  const downloads = useModels((s) => s.downloads);
  if (!active) return null;
  const rows = [active.iasm, active.critic].flatMap((packId) => {
    const files = Object.values(downloads).filter((d) => d.packId === packId);
    if (files.length === 0 || files.every((f) => f.done)) return [];
    const { loaded, total } = downloadTotals(downloads, packId);
    return [{ packId, name: describePack(packId)?.name ?? packId, loaded, total }];
  });
  if (rows.length === 0) return null;
  return (
    <div className="model-progress" role="status" data-testid="studio-model-progress">
      {rows.map((r) => (
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
      ))}
      <span className="muted">Photos wait in the queue until their models are here; nothing is lost.</span>
    </div>
  );
}
