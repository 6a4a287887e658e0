import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';

// `npm start` runs the dev server: it must serve the app's own modules under /models/ (the source
// folder) while a missing model file there still gets a 404, never the SPA page.
describe('dev server', () => {
  let server: ViteDevServer;
  let origin: string;

  beforeAll(async () => {
    server = await createServer({
      configFile: 'vite.config.ts',
      server: { port: 0, strictPort: false },
      logLevel: 'silent',
    });
    await server.listen();
    const address = server.httpServer!.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    origin = `http://localhost:${address.port}`;
  }, 60_000);

  afterAll(() => server?.close());

  it('serves the source modules under /models/ and refuses missing model files with a 404', async () => {
    const module = await fetch(`${origin}/models/packs/registry.ts`);
    expect(module.status).toBe(200);
    expect(await module.text()).toContain('resolvePackSelection');
    const missing = await fetch(`${origin}/models/fixture/no-such-pack/config.json`);
    expect(missing.status).toBe(404);
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  });
});
