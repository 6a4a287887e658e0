import { useCulling } from '../../state/culling.ts';
import { critiquePending, useCritiqueBatch } from '../../state/critiqueBatch.ts';
import { usePhotos } from '../../state/photos.ts';

/** "Write critiques for picks": queues a critique for every picked photo, with progress and Cancel. */
export function CritiquePicks() {
  const photos = usePhotos((s) => s.photos);
  const culls = useCulling((s) => s.byId);
  const ids = useCritiqueBatch((s) => s.ids);
  const start = useCritiqueBatch((s) => s.start);
  const cancel = useCritiqueBatch((s) => s.cancel);
  const picks = photos.filter((p) => culls[p.id]?.flag === 'pick');
  const asked = new Set(ids);
  const batch = photos.filter((p) => asked.has(p.id));
  const pending = batch.filter(critiquePending).length;

  if (pending > 0) {
    return (
      <div className="critique-picks">
        <p className="critique-picks__progress" role="status" data-testid="critique-picks-progress">
          Writing critiques for picks: {batch.length - pending} of {batch.length}
        </p>
        <button type="button" className="button button--ghost button--small" onClick={cancel}>
          Cancel critiques
        </button>
      </div>
    );
  }
  return (
    <div className="critique-picks">
      <button
        type="button"
        className="button button--small"
        disabled={picks.length === 0}
        title={
          picks.length === 0 ? 'Flag photos as picks (P) first' : 'A critique takes seconds per photo on this device'
        }
        onClick={() => start(picks.map((p) => p.id))}
      >
        Write critiques for picks ({picks.length})
      </button>
      {batch.length > 0 && (
        <p className="critique-picks__progress" role="status" data-testid="critique-picks-progress">
          Critiques written for {batch.length} pick{batch.length === 1 ? '' : 's'}
        </p>
      )}
    </div>
  );
}
