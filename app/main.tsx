/// <reference types="vite-plugin-pwa/client" />
// App entry: renders the UI, registers the service worker, resolves the model packs (first run)
// and starts the analysis and measuring queues.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerSW } from 'virtual:pwa-register';
import { App } from './App.tsx';
import { FirstRunPanel } from './components/FirstRunPanel.tsx';
import { refreshStorage } from './state/storage.ts';
import { probeDevice } from './state/device.ts';
import { initPackSelection } from './state/packs.ts';
import { AnalysisQueue } from './analysis/queue.ts';
import { MeasureQueue } from './analysis/measure.ts';
import { installTestHooks, testCriticDtypeSet } from './testing/testHooks.ts';
import { startSessions } from './state/session/sessions.ts';
import { startCameraReading } from './state/cameraReader.ts';

const params = new URLSearchParams(window.location.search);
// `?backend=wasm` skips WebGPU (for comparing backends, or machines with a broken GPU driver).
const forceWasm = params.get('backend') === 'wasm';
const criticDtypeSet = params.has('testhooks') ? testCriticDtypeSet(params) : undefined;
const queue = new AnalysisQueue({
  measuring: true,
  ...(forceWasm ? { forceWasm: 'WASM requested in the URL' } : {}),
  ...(criticDtypeSet ? { criticDtypeSet } : {}),
});
void probeDevice(forceWasm);
new MeasureQueue();
if (params.has('testhooks')) installTestHooks(queue);
void initPackSelection();
void startSessions();
startCameraReading();
void refreshStorage();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
    <FirstRunPanel />
  </StrictMode>,
);

// Service worker: precaches the app shell and ONNX Runtime's wasm for offline use.
if ('serviceWorker' in navigator) registerSW({ immediate: true });
