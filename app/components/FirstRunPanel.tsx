// First visit: which models the app needs, their download sizes, that they are cached
// for offline use — and nothing large is downloaded before the button is pressed. When the model
// host cannot be reached, the panel says so and offers the demo models in one click.
import { useEffect, useRef } from 'react';
import { criticDownloadBytes, criticExtraBytes, type CriticBackend } from '../../models/packs/critic.ts';
import { findCriticPack, findIasmPack, PACK_GROUPS } from '../../models/packs/registry.ts';
import { useDevice } from '../state/device.ts';
import { useModels } from '../state/models.ts';
import { choosePacks, dismissFirstRun, retryModelHost, useDemoPacks } from '../state/packs.ts';
import { requestPersistence } from '../state/storage.ts';
import { formatBytes } from './format.ts';
import { ModalDialog } from './ModalDialog.tsx';
import './FirstRunPanel.css';

/** The default packs and what this device will download for them (the critic's files depend on the backend). */
function defaultPacks(backend: CriticBackend) {
  const group = PACK_GROUPS.default!;
  const iasm = findIasmPack(group.iasm);
  const critic = findCriticPack(group.critic);
  if (!iasm || !critic) throw new Error('The default packs are missing from the registry');
  const criticSize = criticDownloadBytes(critic, backend);
  const packs = [
    {
      id: iasm.id,
      name: iasm.name,
      role: 'Aesthetic score and saliency heatmap',
      bytes: iasm.approxDownloadBytes,
      exact: iasm.files.every((f) => f.bytes !== undefined),
    },
    { id: critic.id, name: critic.name, role: 'Written critique', bytes: criticSize.bytes, exact: criticSize.exact },
  ];
  // What the WASM fallback (used when WebGPU fails on this device) would download on top.
  const wasmExtra = backend === 'wasm' ? null : criticExtraBytes(critic, backend, 'wasm');
  return { packs, wasmExtra };
}

export function FirstRunPanel() {
  const firstRun = useModels((s) => s.firstRun);
  const hostError = useModels((s) => s.hostError);
  const demoCached = useModels((s) => s.demoCached);
  const selectionError = useModels((s) => s.selectionError);
  const backend = useDevice((s) => s.backend);
  const heading = useRef<HTMLHeadingElement>(null);
  const open = firstRun === 'choose' || firstRun === 'host-unreachable';
  useEffect(() => {
    if (open) heading.current?.focus();
  }, [open, firstRun]);

  // Sizes are shown only once the adapter has said what this device will fetch.
  if (!open || !backend) return null;
  const { packs, wasmExtra } = defaultPacks(backend);
  const total = packs.reduce((n, p) => n + p.bytes, 0);
  const unreachable = firstRun === 'host-unreachable';

  const download = (): void => {
    void requestPersistence();
    choosePacks('default');
  };

  return (
    // Escape closes without a choice (nothing is downloaded); "Choose models" in the header reopens it.
    <ModalDialog
      labelledBy="first-run-title"
      describedBy="first-run-escape"
      className="first-run"
      onClose={dismissFirstRun}
      keepOnBackdrop
    >
      <h2 id="first-run-title" ref={heading} tabIndex={-1}>
        {unreachable ? 'The models cannot be downloaded right now' : 'Download the models to start'}
      </h2>
      {selectionError && <p className="first-run__error">{selectionError}</p>}
      {unreachable ? (
        <>
          <p role="alert" className="first-run__error">
            {hostError ?? 'The model host cannot be reached.'} The models below are not on this device yet; they need a
            connection to download.
          </p>
          <p data-testid="offline-demo">
            {demoCached
              ? 'The demo models are already on this device and work offline: photos, scores, heatmaps and critiques all run without a connection (with untrained models).'
              : 'The demo models are small and come from this site: you can try the app with them now.'}{' '}
            Download the real ones later from the Models view.
          </p>
        </>
      ) : (
        <p>
          AesLens analyses your photos on this device; they never leave it. It needs two models, downloaded once from
          huggingface.co and <strong>cached for offline use</strong>:
        </p>
      )}
      <ul className="first-run__packs">
        {packs.map((p) => (
          <li key={p.id}>
            <span className="first-run__name">{p.name}</span>
            <span className="first-run__role">{p.role}</span>
            <span className="first-run__size">
              {p.exact ? '' : '≈ '}
              {formatBytes(p.bytes)}
            </span>
          </li>
        ))}
      </ul>
      {wasmExtra !== null && (
        <p className="first-run__fallback" data-testid="wasm-fallback-size">
          If WebGPU fails on this device, the critic falls back to WASM, which downloads{' '}
          <strong>{formatBytes(wasmExtra)}</strong> more.
        </p>
      )}
      <div className="first-run__actions">
        {unreachable ? (
          <>
            <button type="button" className="button button--primary" onClick={useDemoPacks}>
              Use the demo models
            </button>
            <button type="button" className="button" onClick={() => void retryModelHost()}>
              Try again
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button button--primary" onClick={download}>
              Download models ({packs.every((p) => p.exact) ? '' : '≈ '}
              {formatBytes(total)})
            </button>
            <button type="button" className="button" onClick={useDemoPacks}>
              Try the demo models first
            </button>
          </>
        )}
      </div>
      <p className="first-run__note">
        Demo models are tiny and untrained: good for trying the app, not for judging photos.
      </p>
      <p className="first-run__note" id="first-run-escape">
        Press Escape to look around first; “Choose models” at the top brings this back.
      </p>
    </ModalDialog>
  );
}
