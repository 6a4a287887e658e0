// First visit: which models the app needs, their download sizes, that they are cached
// for offline use — and nothing large is downloaded before the button is pressed. When the model
// host cannot be reached, the panel says so and offers the demo models in one click.
import { useEffect, useRef } from 'react';
import { findCriticPack, findIasmPack, PACK_GROUPS } from '../../models/packs/registry.ts';
import { useModels } from '../state/models.ts';
import { choosePacks, retryModelHost, useDemoPacks } from '../state/packs.ts';
import { requestPersistence } from '../state/storage.ts';
import { formatBytes } from './format.ts';
import './FirstRunPanel.css';

function defaultPacks() {
  const group = PACK_GROUPS.default!;
  const iasm = findIasmPack(group.iasm);
  const critic = findCriticPack(group.critic);
  if (!iasm || !critic) throw new Error('The default packs are missing from the registry');
  // The critic's files differ by backend; WebGPU (without f16, the common case) when the browser has it.
  const criticBytes = critic.approxDownloadBytes['gpu' in navigator ? 'webgpu' : 'wasm'];
  return [
    { id: iasm.id, name: iasm.name, role: 'Aesthetic score and saliency heatmap', bytes: iasm.approxDownloadBytes },
    { id: critic.id, name: critic.name, role: 'Written critique', bytes: criticBytes },
  ];
}

export function FirstRunPanel() {
  const firstRun = useModels((s) => s.firstRun);
  const hostError = useModels((s) => s.hostError);
  const selectionError = useModels((s) => s.selectionError);
  const heading = useRef<HTMLHeadingElement>(null);
  const open = firstRun === 'choose' || firstRun === 'host-unreachable';

  useEffect(() => {
    if (open) heading.current?.focus();
  }, [open, firstRun]);

  if (!open) return null;
  const packs = defaultPacks();
  const total = packs.reduce((n, p) => n + p.bytes, 0);
  const unreachable = firstRun === 'host-unreachable';

  const download = (): void => {
    void requestPersistence();
    choosePacks('default');
  };

  return (
    <div className="first-run__backdrop">
      <section className="first-run" role="dialog" aria-modal="true" aria-labelledby="first-run-title">
        <h2 id="first-run-title" ref={heading} tabIndex={-1}>
          {unreachable ? 'The models cannot be downloaded right now' : 'Download the models to start'}
        </h2>
        {selectionError && <p className="first-run__error">{selectionError}</p>}
        {unreachable ? (
          <p role="alert" className="first-run__error">
            {hostError ?? 'The model host cannot be reached.'} No models are cached on this device yet: you can try the
            app with the demo models now, and download the real ones later from the Models view.
          </p>
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
              <span className="first-run__size">≈ {formatBytes(p.bytes)}</span>
            </li>
          ))}
        </ul>
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
                Download models (≈ {formatBytes(total)})
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
      </section>
    </div>
  );
}
