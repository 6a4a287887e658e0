import { CRITIC_PACKS } from '../../models/packs/critic.ts';
import { IASM_PACKS } from '../../models/packs/iasm.ts';
import type { PackBase } from '../../models/packs/types.ts';
import { formatBytes } from '../components/format.ts';
import { downloadTotals, useModels, type FileDownload } from '../state/models.ts';

export const FIXTURE_LABEL = 'Demo / test model — untrained';

interface PackRow {
  pack: PackBase;
  role: 'Saliency and score' | 'Critic';
  /** Bytes to download before first use (approximate unless pinned). */
  downloadBytes: number;
}

/** Available packs, which are active, download progress, cache sizes and storage. */
export function Models() {
  const active = useModels((s) => s.active);
  const downloads = useModels((s) => s.downloads);
  const cacheSizes = useModels((s) => s.cacheSizes);
  const storage = useModels((s) => s.storage);
  const total = downloadTotals(downloads);

  const rows: PackRow[] = [
    ...IASM_PACKS.map((pack) => ({
      pack,
      role: 'Saliency and score' as const,
      downloadBytes: pack.approxDownloadBytes,
    })),
    ...CRITIC_PACKS.map((pack) => ({
      pack,
      role: 'Critic' as const,
      // WebGPU without shader-f16 is the common case; the f16 variant is smaller.
      downloadBytes: pack.approxDownloadBytes.webgpu,
    })),
  ];

  return (
    <div className="models">
      <header className="models__head">
        <h1>Models</h1>
        <p className="muted">
          Models run in this browser. They are downloaded once, cached for offline use, and can be deleted here.
        </p>
        <dl className="models__storage">
          <div>
            <dt>Storage used</dt>
            <dd data-testid="storage-usage">
              {storage ? `${formatBytes(storage.usage)} of ${formatBytes(storage.quota)}` : '—'}
            </dd>
          </div>
          <div>
            <dt>Persistent</dt>
            <dd>{storage ? (storage.persisted ? 'yes' : 'no — the browser may evict it') : '—'}</dd>
          </div>
          {total.total > 0 && (
            <div>
              <dt>Downloading</dt>
              <dd data-testid="download-total">
                {formatBytes(total.loaded)} of {formatBytes(total.total)}
              </dd>
            </div>
          )}
        </dl>
      </header>

      <ul className="pack-list">
        {rows.map(({ pack, role, downloadBytes }) => {
          const isActive = active?.iasm === pack.id || active?.critic === pack.id;
          const files = Object.values(downloads).filter((d) => d.packId === pack.id);
          const cached = cacheSizes[pack.id];
          return (
            <li
              key={pack.id}
              className={`pack${isActive ? ' pack--active' : ''}`}
              data-testid="pack"
              data-pack-id={pack.id}
            >
              <div className="pack__head">
                <h2 className="pack__name">{pack.name}</h2>
                <span className="pack__role">{role}</span>
                {pack.fixture ? <span className="badge badge--demo">{FIXTURE_LABEL}</span> : null}
                {isActive && <span className="badge badge--active">Active</span>}
              </div>
              <p className="pack__desc">{pack.description}</p>
              <dl className="pack__facts">
                <div>
                  <dt>Id</dt>
                  <dd>
                    <code>{pack.id}</code>
                  </dd>
                </div>
                <div>
                  <dt>Download</dt>
                  <dd>{downloadBytes > 0 ? `≈ ${formatBytes(downloadBytes)}` : '—'}</dd>
                </div>
                <div>
                  <dt>Cached</dt>
                  <dd data-testid="cache-size">{cached !== undefined ? formatBytes(cached) : 'not cached'}</dd>
                </div>
                <div>
                  <dt>License</dt>
                  <dd>{pack.license}</dd>
                </div>
              </dl>
              {files.length > 0 && <DownloadList files={files} />}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function DownloadList({ files }: { files: FileDownload[] }) {
  const t = downloadTotals(Object.fromEntries(files.map((f) => [f.file, f])));
  return (
    <div className="downloads">
      <ul>
        {files.map((f) => (
          <li key={f.file} className="download">
            <span className="download__file">{f.file}</span>
            <progress
              max={f.total || undefined}
              value={f.total ? f.loaded : undefined}
              aria-label={`Download of ${f.file}`}
            />
            <span className="download__bytes">
              {formatBytes(f.loaded)}
              {f.total ? ` / ${formatBytes(f.total)}` : ''}
              {f.done ? ' ✓' : ''}
            </span>
          </li>
        ))}
      </ul>
      <p className="download__total">
        Total {formatBytes(t.loaded)}
        {t.total ? ` of ${formatBytes(t.total)}` : ''}
      </p>
    </div>
  );
}
