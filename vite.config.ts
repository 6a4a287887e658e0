import { existsSync, statSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Connect, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Hosts model files come from. The Hub answers `resolve` URLs with redirects to CDN hosts that
 * change over time (cdn-lfs*.hf.co, us.aws.cdn.hf.co, cas-bridge.xethub.hf.co, …); CSP applies to
 * redirect targets, so allow the Hub's own domains by wildcard rather than pinning today's hosts.
 */
export const MODEL_HOSTS = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'];

const CSP = [
  "default-src 'self'",
  // 'wasm-unsafe-eval' only because ONNX Runtime compiles WebAssembly; no inline or eval'd scripts.
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  // blob: for thumbnails and exported images made from object URLs; data: for tiny inline icons.
  "img-src 'self' blob: data:",
  // blob: so the saved session can read back the thumbnails the page made (object URLs never leave it).
  `connect-src 'self' ${MODEL_HOSTS.join(' ')} blob:`,
  "font-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Puts the CSP into the built index.html (not in dev: the React refresh preamble is an inline script). */
function cspMetaTag(): Plugin {
  return {
    name: 'aeslens-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' },
    ],
  };
}

/**
 * Missing files under /models/ get a 404 instead of the SPA's index.html: transformers.js caches
 * any 200 response, so a fallback page served for a missing model file would poison its cache.
 */
function modelFiles404(root: () => string): Plugin {
  const middleware =
    (dirs: () => string[]): Connect.NextHandleFunction =>
    (req, res, next) => {
      const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
      if (!path.startsWith('/models/')) return next();
      const exists = (dir: string): boolean => {
        const file = normalize(join(dir, path));
        return file.startsWith(dir) && existsSync(file) && statSync(file).isFile();
      };
      if (dirs().some(exists)) return next();
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain');
      res.end(`Not found: ${path}\n`);
    };
  return {
    name: 'aeslens-models-404',
    // The dev server also serves the source folder models/ (as modules) under the same prefix.
    configureServer: (server) =>
      void server.middlewares.use(middleware(() => [server.config.publicDir, server.config.root])),
    configurePreviewServer: (server) => void server.middlewares.use(middleware(() => [root()])),
  };
}

export default defineConfig(() => {
  let outDir = '';
  return {
    plugins: [
      react(),
      cspMetaTag(),
      modelFiles404(() => outDir),
      {
        name: 'aeslens-out-dir',
        configResolved: (config) => void (outDir = resolve(config.root, config.build.outDir)),
      },
      VitePWA({
        // Registered from app/main.tsx (no inline registration script: CSP).
        injectRegister: null,
        registerType: 'autoUpdate',
        includeAssets: ['favicon.svg', 'icons/*.png'],
        manifest: {
          name: 'AesLens — aesthetic saliency and critique',
          short_name: 'AesLens',
          description:
            'Understand why a photo works: aesthetic saliency heatmaps and written critiques, computed on your own device.',
          start_url: '/',
          scope: '/',
          display: 'standalone',
          background_color: '#111214',
          theme_color: '#111214',
          icons: [
            { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
            { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
            { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          ],
        },
        workbox: {
          globPatterns: [
            // The app shell plus ONNX Runtime's wasm (served from our origin, ~27 MB: above Workbox's 2 MiB default).
            '**/*.{js,mjs,css,html,wasm,svg,png,webmanifest}',
            // The demo (fixture) packs, ~1 MB: so the first-run panel can offer them even offline.
            'models/fixture/**/*',
          ],
          maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
          navigateFallback: '/index.html',
          navigateFallbackDenylist: [/^\/models\//, /^\/robots\.txt$/],
        },
        devOptions: { enabled: false },
      }),
    ],
    optimizeDeps: { exclude: ['onnxruntime-web'] },
    worker: { format: 'es' },
    build: { target: 'es2022', sourcemap: true },
    server: { headers: ISOLATION_HEADERS },
    preview: {
      headers: {
        ...ISOLATION_HEADERS,
        // Same policy as the meta tag, plus what only a header can say.
        'Content-Security-Policy': `${CSP}; frame-ancestors 'none'`,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      },
    },
  };
});
