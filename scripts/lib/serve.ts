/**
 * A small static file server on 127.0.0.1 for the demo, the benchmark and
 * the end-to-end tests. `mounts` maps URL prefixes to directories. A file may
 * carry response headers of its own in a file beside it, `<name>.headers`,
 * one `Name: value` a line (a page's Content-Security-Policy, say).
 */
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface StaticServer {
  origin: string;
  close: () => Promise<void>;
}

/** A generated page: returns HTML for a path, or undefined to fall through to the mounts. */
export type PageHandler = (pathname: string) => string | undefined;

export async function startServer(mounts: Record<string, string>, pages: PageHandler[] = []): Promise<StaticServer> {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      for (const page of pages) {
        const html = page(url.pathname);
        if (html === undefined) continue;
        res.writeHead(200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-store' });
        res.end(html);
        return;
      }
      const prefix = prefixes.find((p) => url.pathname.startsWith(p));
      if (!prefix) throw new Error('not found');
      const base = mounts[prefix]!;
      const rel = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
      const file = normalize(join(base, rel));
      if (!file.startsWith(normalize(base) + sep) && file !== normalize(base)) throw new Error('outside');
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      const own = await readFile(`${file}.headers`, 'utf8').catch(() => '');
      const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
      for (const line of own.split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
