// A static HTTP server for critic tests: serves a folder as the app's origin serves its packs
// (/models/fixture/<id>/…), so packs load through the same fetch path as in the browser.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface FolderServer {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** Every requested path, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves the files below `root` on a free local port; 404 for anything missing. */
export async function serveFolder(root: string): Promise<FolderServer> {
  const requests: string[] = [];
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url!, 'http://x').pathname));
    requests.push(path);
    try {
      const body = await readFile(join(root, path));
      res.writeHead(200, { 'content-length': body.byteLength }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
