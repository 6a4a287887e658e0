import { CRITIC_PACKS, criticDownloadBytes, iasvitStatus } from '../../models/packs/critic.ts';
import { IASM_PACKS } from '../../models/packs/iasm.ts';
import type { PackBase } from '../../models/packs/types.ts';
import { useCallback, useEffect, useState } from 'react';
import { FilePicker } from '../components/FilePicker.tsx';
import { formatBytes } from '../components/format.ts';
import { UndoToast } from '../components/UndoToast.tsx';
import { folderFiles } from '../lib/folder/folderFiles.ts';
import { DELETE_UNDO_MS, deletePackCache, loadModelFolder, refreshStorage } from '../state/storage.ts';
import { useDevice } from '../state/device.ts';
import { downloadTotals, effectiveCriticPack, useModels, type FileDownload } from '../state/models.ts';
import { choosePacks } from '../state/packs.ts';
import { messageOf } from '../../models/common/errors.ts';

export const FIXTURE_LABEL = 'Demo / test model — untrained';

interface PackRow {
  pack: PackBase;
  role: 'Saliency and score' | 'Critic';
  /** Bytes this device downloads before first use, exact when every file is pinned with its size. */
  download: { bytes: number; exact: boolean };
  /** Critic packs: whether IAS-ViT fusion weights exist (iasvitStatus). */
  iasvit?: string;
}

/** One size per pack: the space it takes once stored here, else what it will download. */
function sizeText(download: PackRow['download'], cached: number | undefined, deleting: boolean): string {
  if (deleting) return 'deleting…';
  if (cached !== undefined && cached > 0) return `${formatBytes(cached)} stored on this device`;
  if (download.bytes <= 0) return '—';
  return `${download.exact ? '' : '≈ '}${formatBytes(download.bytes)} to download`;
}

/** Available packs, which are active, download progress, cache sizes and storage. */
export function Models() {
  const active = useModels((s) => s.active);
  const downloads = useModels((s) => s.downloads);
  const cacheSizes = useModels((s) => s.cacheSizes);
  const storage = useModels((s) => s.storage);
  const pendingDeletes = useModels((s) => s.pendingDeletes);
  const localFolders = useModels((s) => s.localFolders);
  const localIasvit = useModels((s) => s.localIasvit);
  const backend = useDevice((s) => s.backend);
  const total = downloadTotals(downloads);
  const [deleted, setDeleted] = useState<{ packId: string; name: string; undo(): void } | null>(null);

  useEffect(() => {
    void refreshStorage();
  }, []);

  const onDelete = (pack: PackBase): void => {
    const handle = deletePackCache(pack.id);
    setDeleted({ packId: pack.id, name: pack.name, undo: handle.undo });
  };
  const clearDeleted = useCallback(() => setDeleted(null), [setDeleted]);

  const use = (pack: PackBase, role: PackRow['role']): void => {
    if (!active) return;
    choosePacks(role === 'Critic' ? `${active.iasm},${pack.id}` : `${pack.id},${active.critic}`);
  };

  const rows: PackRow[] = [
    ...IASM_PACKS.map((pack) => ({
      pack,
      role: 'Saliency and score' as const,
      download: { bytes: pack.approxDownloadBytes, exact: pack.files.every((f) => f.bytes !== undefined) },
    })),
    ...CRITIC_PACKS.map((pack) => ({
      pack,
      role: 'Critic' as const,
      // The files of the backend this device runs (WebGPU until the adapter has answered).
      download: criticDownloadBytes(pack, backend ?? 'webgpu'),
      iasvit: iasvitStatus(effectiveCriticPack(pack.id, localIasvit) ?? pack).label,
    })),
  ];

  return (
    <div className="models">
      <header className="models__head">
        <h1>Models</h1>
        <p className="muted">
          Models run in this browser. They are downloaded once, cached for offline use, and can be deleted here.
        </p>
        <p className="muted" data-testid="size-explained">
          Size: what a model downloads before its first use; once it is on this device, the space its files take here
          (it can differ: the critic fetches only the files this device&apos;s backend runs, and the score model stores
          a graph built on the device).
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
              {/* Files read back from the cache report progress too: "loaded", not "downloaded". */}
              <dt>{total.loaded < total.total ? 'Loading' : 'Loaded this session'}</dt>
              <dd data-testid="download-total">
                {formatBytes(total.loaded)} of {formatBytes(total.total)}
              </dd>
            </div>
          )}
        </dl>
        <LoadFolder />
      </header>

      <ul className="pack-list">
        {rows.map(({ pack, role, download, iasvit }) => {
          const isActive = active?.iasm === pack.id || active?.critic === pack.id;
          const files = Object.values(downloads).filter((d) => d.packId === pack.id);
          const deleting = pendingDeletes.includes(pack.id);
          const cached = deleting ? undefined : cacheSizes[pack.id];
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
                  <dt>Size</dt>
                  <dd data-testid="pack-size">{sizeText(download, cached, deleting)}</dd>
                </div>
                {localFolders[pack.id] && (
                  <div>
                    <dt>Source</dt>
                    <dd>folder from disk</dd>
                  </div>
                )}
                <div>
                  <dt>License</dt>
                  <dd>{pack.license}</dd>
                </div>
                {iasvit && (
                  <div>
                    <dt>Vision encoder</dt>
                    <dd data-testid="iasvit-status">{iasvit}</dd>
                  </div>
                )}
              </dl>
              {files.length > 0 && <DownloadList files={files} />}
              <div className="pack__actions">
                {!isActive && active && (
                  <button type="button" className="button button--small" onClick={() => use(pack, role)}>
                    Use {pack.fixture ? 'this demo model' : 'this model'}
                  </button>
                )}
                {cached !== undefined && cached > 0 && (
                  <button type="button" className="button button--small" onClick={() => onDelete(pack)}>
                    Delete the cached files<span className="visually-hidden"> of {pack.name}</span>
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {deleted && (
        <UndoToast
          message={`Deleting the cached files of ${deleted.name}`}
          timeoutMs={DELETE_UNDO_MS}
          onUndo={() => {
            deleted.undo();
            setDeleted(null);
          }}
          onExpire={clearDeleted}
        />
      )}
    </div>
  );
}

/** "Load a model folder from disk": registers the folder's files as the pack whose layout they match. */
function LoadFolder() {
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const onFiles = async (files: File[]): Promise<void> => {
    try {
      const { packId, kind } = await loadModelFolder(folderFiles(files));
      setResult({
        ok: true,
        text: `Loaded the folder as ${packId} (${kind === 'iasm' ? 'saliency and score' : 'critic'}); it is used instead of downloading.`,
      });
    } catch (err) {
      setResult({ ok: false, text: messageOf(err) });
    }
  };
  return (
    <div className="models__actions">
      <FilePicker
        label="Load a model folder from disk"
        text="Load a model folder from disk"
        multiple
        folder
        onFiles={(files) => void onFiles(files)}
      />
      {result && (
        <p className={result.ok ? 'muted' : 'error'} role={result.ok ? 'status' : 'alert'}>
          {result.text}
        </p>
      )}
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
