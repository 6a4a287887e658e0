// The production build served by `vite preview` on a free port, for benchmarks in Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Preview {
  url: string;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => res(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite preview exited (${child.exitCode}): ${log()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`vite preview did not answer at ${url} within ${timeoutMs / 1000} s: ${log()}`);
}

/**
 * Serves `outDir` (default dist/, or $E2E_OUT_DIR like the e2e config). Builds nothing: fails
 * with a clear message when there is no build.
 */
export async function startPreview(outDir = process.env.E2E_OUT_DIR ?? 'dist'): Promise<Preview> {
  const dir = resolve(ROOT, outDir);
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`no production build in ${dir}: run \`npm run build\` first`);
  }
  const port = await freePort();
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  const args = [vite, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', dir];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const close = (): Promise<void> =>
    new Promise((res) => {
      if (child.exitCode !== null) return res();
      child.once('exit', () => res());
      child.kill('SIGTERM');
    });
  try {
    await waitForHttp(url, child, () => output.slice(-500), 30_000);
  } catch (err) {
    await close();
    throw err;
  }
  return { url, close };
}
