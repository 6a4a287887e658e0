import { useEffect, useState } from 'react';
import { BackendBadge } from './components/BackendBadge.tsx';
import { DemoBanner } from './components/DemoBanner.tsx';
import { StorageNotice } from './components/StorageNotice.tsx';
import { DropZone } from './components/DropZone.tsx';
import { SessionPicker } from './components/session/SessionPicker.tsx';
import { describePack } from './components/packInfo.ts';
import { useModels } from './state/models.ts';
import { retryModelHost } from './state/packs.ts';
import { Evaluate } from './views/Evaluate.tsx';
import { Models } from './views/Models.tsx';
import { Studio } from './views/Studio.tsx';
import './styles/app.css';

const VIEWS = [
  { id: 'studio', label: 'Studio' },
  { id: 'models', label: 'Models' },
  { id: 'evaluate', label: 'Evaluate' },
] as const;
type ViewId = (typeof VIEWS)[number]['id'];

/** The view named by the URL hash (#models), Studio otherwise. */
function viewFromHash(): ViewId {
  const id = window.location.hash.replace(/^#/, '');
  return VIEWS.find((v) => v.id === id)?.id ?? 'studio';
}

export function App() {
  const [view, setView] = useState<ViewId>(viewFromHash);

  useEffect(() => {
    const onHash = (): void => setView(viewFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="header">
        <div className="header__brand">
          <img className="logo" src="/favicon.svg" alt="" width={20} height={20} />
          <span className="header__name">AesLens</span>
        </div>
        <nav className="nav" aria-label="Views">
          {VIEWS.map((v) => (
            <a
              key={v.id}
              href={`#${v.id}`}
              className={`nav__link${view === v.id ? ' nav__link--on' : ''}`}
              aria-current={view === v.id ? 'page' : undefined}
            >
              {v.label}
            </a>
          ))}
        </nav>
        <SessionPicker />
        <div className="header__status">
          <ActivePacks />
          <BackendBadge />
        </div>
      </header>
      {/* Always present: the frame's grid has one row for the banners, whether any shows or not. */}
      <div className="app__banners">
        <DemoBanner />
        <StorageNotice onModelsView={view === 'models'} />
      </div>
      <main id="main" className="main">
        {view === 'studio' && <Studio />}
        {view === 'models' && <Models />}
        {view === 'evaluate' && <Evaluate />}
      </main>
      <DropZone />
    </div>
  );
}

function ActivePacks() {
  const active = useModels((s) => s.active);
  const dismissed = useModels((s) => s.firstRun === 'dismissed');
  if (!active && dismissed) {
    return (
      <button type="button" className="button button--small" onClick={() => void retryModelHost()}>
        Choose models
      </button>
    );
  }
  if (!active) return <span className="packs muted">No models selected</span>;
  const iasm = describePack(active.iasm);
  const critic = describePack(active.critic);
  const names = `${iasm?.name ?? active.iasm} + ${critic?.name ?? active.critic}`;
  return (
    <span
      className="packs"
      data-testid="active-packs"
      title={`Score and heatmap: ${iasm?.name ?? active.iasm} (${active.iasm}). Critic: ${critic?.name ?? active.critic} (${active.critic}).`}
    >
      {active.demo && <span className="badge badge--demo">Demo models</span>}
      <span className="packs__names">{names}</span>
    </span>
  );
}
