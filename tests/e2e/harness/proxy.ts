/**
 * A recording forward proxy that every browser in the end-to-end tests is
 * configured to use for all traffic, loopback included. It forwards requests
 * for the test server and refuses (and records) everything else, so a test can
 * assert that no part of the extension (pages, service worker or event page,
 * content scripts) reached for the network.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  allowed: boolean;
  /** Who asked, where the request says so (Origin, else Referer). */
  from: string;
}

export interface RecordingProxy {
  port: number;
  log: RecordedRequest[];
  close(): Promise<void>;
}

export async function startProxy(allowedHost: string): Promise<RecordingProxy> {
  const log: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    let target: URL | undefined;
    try {
      target = new URL(url);
    } catch {
      target = undefined;
    }
    const allowed = !!target && target.protocol === 'http:' && target.host === allowedHost;
    const from = String(req.headers.origin ?? req.headers.referer ?? '');
    log.push({ method: req.method ?? 'GET', url, allowed, from });
    if (!allowed || !target) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('blocked by the Counterpoint test proxy');
      return;
    }
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.on('error', () => res.destroy());
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (res.headersSent) res.destroy();
      else res.writeHead(502).end();
    });
    // A browser drops connections when a tab closes or navigates mid-request:
    // that ends this exchange, never the test run (an unhandled ECONNRESET did).
    req.on('error', () => upstream.destroy());
    res.on('error', () => upstream.destroy());
    req.pipe(upstream);
  });
  // TLS tunnels (https, wss) are never allowed: record the host and refuse.
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    log.push({ method: 'CONNECT', url: req.url ?? '', allowed: false, from: '' });
    socket.on('error', () => socket.destroy());
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('error', () => s.destroy());
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as AddressInfo).port,
    log,
    close: () =>
      new Promise((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}
