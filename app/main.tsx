/// <reference types="vite-plugin-pwa/client" />
// App entry: renders the UI, registers the service worker, starts pack selection and the analysis queue.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerSW } from 'virtual:pwa-register';
import { App } from './App.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Service worker: precaches the app shell and ONNX Runtime's wasm for offline use.
if ('serviceWorker' in navigator) registerSW({ immediate: true });
