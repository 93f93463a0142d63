/**
 * The harness itself: a missing browser is a failure that says how to
 * install it, never a skip; the recording proxy outlives connections a
 * browser drops.
 */
import { createServer, request as httpRequest } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { requireBrowser } from './harness/browsers';
import { startProxy } from './harness/proxy';

describe('a missing browser', () => {
  it.each([
    ['chromium', /Install it with: sudo apt-get update && sudo apt-get install -y chromium$/],
    ['firefox', /Install it with: sudo apt-get update && sudo apt-get install -y firefox-esr$/],
  ] as const)('%s: fails with the install command', (kind, message) => {
    expect(() => requireBrowser(kind, '/nonexistent/browser')).toThrow(message);
  });
});

describe('the recording proxy', () => {
  it('survives a browser that drops its connection mid-request (ECONNRESET), and still serves', async () => {
    // An upstream that answers slowly, so the client can reset while the exchange is open.
    const upstream = createServer((_req, res) => setTimeout(() => res.end('late'), 300));
    await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
    const host = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const proxy = await startProxy(host);
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      for (const request of [`GET http://${host}/slow HTTP/1.1\r\nHost: ${host}\r\n\r\n`, `CONNECT example.org:443 HTTP/1.1\r\nHost: example.org\r\n\r\n`]) {
        const socket = connect(proxy.port, '127.0.0.1');
        await new Promise<void>((done) => socket.on('connect', done));
        socket.write(request);
        await new Promise((r) => setTimeout(r, 50));
        socket.resetAndDestroy();
      }
      await new Promise((r) => setTimeout(r, 500));
      // And the next exchange goes through.
      const body = await new Promise<string>((done, fail) => {
        const req = httpRequest({ host: '127.0.0.1', port: proxy.port, path: `http://${host}/again`, headers: { host } }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => done(text));
        });
        req.on('error', fail);
        req.end();
      });
      expect(body).toBe('late');
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await proxy.close();
      await new Promise((done) => upstream.close(done));
    }
  });
});
