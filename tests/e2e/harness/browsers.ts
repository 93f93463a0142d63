/**
 * One interface over the two real browsers the end-to-end tests run in:
 * Debian's Chromium through playwright-core (persistent context with the
 * unpacked extension) and Debian's Firefox ESR through puppeteer-core over
 * WebDriver BiDi (`browser.installExtension`). Both run headless, send all
 * traffic through the recording proxy, and serve test pages from 127.0.0.1.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page as PwPage } from 'playwright-core';
import puppeteer, { type Browser as PpBrowser, type Page as PpPage } from 'puppeteer-core';
import { inject } from 'vitest';
import { startServer, type StaticServer } from '../../../scripts/lib/serve';
import { CHROMIUM_FLAGS, loadExtension } from '../../../scripts/lib/chromium';
import { corpus } from '../../../scripts/lib/corpus';
import { readSeeds, seedPage } from '../../../scripts/lib/seeds';
import { startProxy, type RecordedRequest, type RecordingProxy } from './proxy';

export type Kind = 'chromium' | 'firefox';
/**
 * The browsers a run covers: both, unless E2E_BROWSER names one (the e2e
 * config runs one project per browser, side by side).
 */
export const KINDS: Kind[] = process.env.E2E_BROWSER ? [process.env.E2E_BROWSER as Kind] : ['chromium', 'firefox'];

/**
 * Hosts each browser contacts on its own (update checks, remote settings),
 * seen in runs without the extension. The proxy refuses them like everything
 * else; the privacy tests accept them only without an Origin or Referer from
 * the extension or the test pages.
 */
export const BROWSER_OWN_HOSTS: Record<Kind, string[]> = {
  chromium: [
    'clients2.google.com',
    'accounts.google.com',
    'update.googleapis.com',
    'content-autofill.googleapis.com',
    'optimizationguide-pa.googleapis.com',
    'www.google.com',
  ],
  firefox: ['firefox.settings.services.mozilla.com', 'content-signature-2.cdn.mozilla.net', 'push.services.mozilla.com', 'detectportal.firefox.com'],
};

/** Requests that left the test site and are not the browser's own. */
export function foreignRequests(session: Session): RecordedRequest[] {
  return session.requests.filter((r) => {
    if (r.allowed) return false;
    const host = r.method === 'CONNECT' ? r.url.replace(/:\d+$/, '') : hostOf(r.url);
    return !BROWSER_OWN_HOSTS[session.kind].includes(host) || r.from !== '';
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

const root = resolve(import.meta.dirname, '../../..');
const FIREFOX_ID = 'counterpoint@counterpoint.example';
const FIREFOX_UUID = '6b1c3a52-7d0e-4f3e-9c55-0c0a7e11d1a1';

const EXECUTABLES: Record<Kind, { path: string; install: string }> = {
  chromium: { path: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', install: 'sudo apt-get update && sudo apt-get install -y chromium' },
  firefox: { path: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', install: 'sudo apt-get update && sudo apt-get install -y firefox-esr' },
};

const EXTENSIONS: Record<Kind, string> = {
  chromium: join(root, '.output/chrome-mv3-e2e'),
  firefox: join(root, '.output/firefox-mv3-e2e'),
};

/** Fails (never skips) when a browser or the e2e build is missing, naming the fix. */
export function requireBrowser(kind: Kind, path = EXECUTABLES[kind].path): void {
  const exe = EXECUTABLES[kind];
  if (!existsSync(path)) {
    throw new Error(`${kind} is not installed at ${path}. Install it with: ${exe.install}`);
  }
  if (!existsSync(join(EXTENSIONS[kind], 'manifest.json'))) {
    throw new Error(`The e2e build for ${kind} is missing (${EXTENSIONS[kind]}). Build it with: npm run build:e2e`);
  }
}

/**
 * The test site: our own fixtures, plus, when the outside corpus is present
 * (scripts/lib/corpus.ts), the seed articles under /seeds/ and the saved real
 * pages under /real/, and, when COUNTERPOINT_LABELED_DIR is set, that labeled
 * set under /labeled-external/. Suites that use those check for them themselves.
 */
export async function startTestSite(): Promise<StaticServer> {
  const outside = corpus();
  const seeds = readSeeds(outside.seedsDir);
  const mounts: Record<string, string> = { '/': join(root, 'tests/fixtures') };
  if (outside.has('real-pages')) mounts['/real/'] = outside.realPagesDir;
  // An outside labeled set for tests/e2e/labeled.e2e.test.ts.
  if (process.env.COUNTERPOINT_LABELED_DIR) mounts['/labeled-external/'] = resolve(process.env.COUNTERPOINT_LABELED_DIR);
  return startServer(mounts, [
    (path) => {
      const m = /^\/seeds\/(.+)\.html$/.exec(path);
      const seed = m && seeds.find((s) => s.name === m[1]);
      return seed ? seedPage(seed) : undefined;
    },
  ]);
}

/** A tab in either browser, with the handful of operations the tests use. */
export interface Tab {
  evaluate<R, A = void>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  goto(url: string): Promise<void>;
  url(): string;
  move(x: number, y: number, steps?: number): Promise<void>;
  click(x: number, y: number): Promise<void>;
  /** A finger's tap (a touch pointer, then the click the browser makes of it). */
  tap(x: number, y: number): Promise<void>;
  press(key: string): Promise<void>;
  type(text: string): Promise<void>;
  screenshot(path: string): Promise<void>;
  /** Viewport in CSS pixels and device pixel ratio: (640, 450, 2) is a 1280×900 window at 200% zoom. */
  setViewport(width: number, height: number, scale?: number): Promise<void>;
  front(): Promise<void>;
  close(): Promise<void>;
  errors: string[];
}

export interface SessionOptions {
  extension?: boolean;
  colorScheme?: 'light' | 'dark';
  /**
   * The browser's own language (its UI, so the extension's too), e.g. 'zh-CN'.
   * Firefox needs that language's pack: Debian's firefox-esr-l10n-* package.
   */
  locale?: string;
  /** `forced-colors: active` for every page (Firefox: the reader's colours override the page's). */
  forcedColors?: boolean;
}

export interface Session {
  kind: Kind;
  site: string;
  extensionOrigin: string;
  requests: RecordedRequest[];
  open(pathOrUrl: string): Promise<Tab>;
  /** Opens an extension page (popup.html, options.html) in a tab. */
  openExtension(path: string): Promise<Tab>;
  /** Stops the background (service worker / event page) as the browser would when idle. */
  stopBackground(): Promise<void>;
  /** Closes every tab but `keep`, including tabs the extension or a page opened. */
  closeTabsBut(keep: Tab): Promise<void>;
  close(): Promise<void>;
}

export async function launch(kind: Kind, site: StaticServer, options: SessionOptions = {}): Promise<Session> {
  requireBrowser(kind);
  const proxy = await startProxy(new URL(site.origin).host);
  try {
    return kind === 'chromium' ? await launchChromium(site, proxy, options) : await launchFirefox(site, proxy, options);
  } catch (error) {
    await proxy.close();
    throw error;
  }
}

const resolveUrl = (site: StaticServer, p: string) => (/^[a-z-]+:/.test(p) ? p : site.origin + p);

async function launchChromium(site: StaticServer, proxy: RecordingProxy, options: SessionOptions): Promise<Session> {
  const withExt = options.extension !== false;
  const ext = EXTENSIONS.chromium;
  const profile = mkdtempSync(join(inject('profilesDir'), 'chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: EXECUTABLES.chromium.path,
    headless: true,
    viewport: { width: 1280, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    ...(options.locale ? { locale: options.locale } : {}),
    ...(options.forcedColors ? { forcedColors: 'active' as const } : {}),
    args: [
      ...(options.locale ? [`--lang=${options.locale}`] : []),
      ...CHROMIUM_FLAGS,
      // Quiet the browser's own services, so what the proxy sees is ours or nothing.
      '--disable-default-apps',
      '--disable-domain-reliability',
      '--disable-client-side-phishing-detection',
      '--disable-features=AutofillServerCommunication,OptimizationHints,MediaRouter,Translate',
      '--no-pings',
      `--proxy-server=http://127.0.0.1:${proxy.port}`,
      '--proxy-bypass-list=<-loopback>',
      ...(withExt ? loadExtension(ext) : []),
    ],
  });
  let extensionOrigin = '';
  if (withExt) {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
    extensionOrigin = `chrome-extension://${new URL(worker.url()).host}`;
  }
  const pages = new WeakMap<Tab, PwPage>();
  const wrap = (page: PwPage): Tab => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const tab: Tab = {
      errors,
      evaluate: (fn, arg) => page.evaluate(fn as never, arg as never),
      goto: async (url) => void (await page.goto(resolveUrl(site, url))),
      url: () => page.url(),
      move: (x, y, steps = 1) => page.mouse.move(x, y, { steps }),
      click: (x, y) => page.mouse.click(x, y),
      tap: async (x, y) => {
        // Through the input pipeline, as a touchscreen does: Chromium makes the tap gesture and its click.
        const cdp = await context.newCDPSession(page);
        await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
        await cdp.detach();
      },
      press: (key) => page.keyboard.press(key),
      type: (text) => page.keyboard.type(text),
      screenshot: async (path) => void (await page.screenshot({ path })),
      setViewport: async (width, height, scale = 1) => {
        // At scale 1, Playwright's own viewport: a CDP override alone is undone by page.screenshot().
        if (scale === 1) return page.setViewportSize({ width, height });
        const cdp = await context.newCDPSession(page);
        await cdp.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: scale, mobile: false });
      },
      front: () => page.bringToFront(),
      close: () => page.close(),
    };
    pages.set(tab, page);
    return tab;
  };
  return {
    kind: 'chromium',
    site: site.origin,
    extensionOrigin,
    requests: proxy.log,
    async open(p) {
      const page = await context.newPage();
      const tab = wrap(page);
      await page.goto(resolveUrl(site, p));
      return tab;
    },
    async openExtension(path) {
      const page = await context.newPage();
      const tab = wrap(page);
      await page.goto(`${extensionOrigin}/${path}`);
      return tab;
    },
    async stopBackground() {
      // What the browser does to an idle worker, through its own internals page
      // (the remote protocol's ServiceWorker domain does not reach extension workers).
      const page = await context.newPage();
      await page.goto('chrome://serviceworker-internals/');
      const stops = page.getByText('Stop', { exact: true });
      await stops.first().waitFor({ timeout: 10_000 });
      for (let i = 0; i < (await stops.count()); i++) await stops.nth(i).click();
      await page.waitForFunction(() => !/Running Status: RUNNING/.test(document.body.innerText), null, { timeout: 10_000 });
      await page.close();
    },
    async closeTabsBut(keep) {
      const kept = pages.get(keep);
      await Promise.all(context.pages().map((page) => (page === kept ? undefined : page.close().catch(() => undefined))));
    },
    async close() {
      await context.close().catch(() => undefined);
      await proxy.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A Firefox profile that has been started once: a copy of it starts in about
 * half the time of an empty one (1.5 s against 3.2 s here), which every e2e
 * file pays. Made once per Firefox build, in the system temp folder; workers
 * that race to make it keep whichever lands first.
 */
async function firefoxProfile(): Promise<string> {
  const exe = statSync(EXECUTABLES.firefox.path);
  // A profile made before a language pack was installed never sees it: the packs present are part of the key.
  const packs = join(dirname(realpathSync(EXECUTABLES.firefox.path)), 'browser', 'extensions');
  const installed = existsSync(packs) ? readdirSync(packs).sort().join(',') : '';
  const key = createHash('sha256').update(installed).digest('hex').slice(0, 8);
  const template = join(tmpdir(), `cp-e2e-firefox-template-${exe.size}-${Math.round(exe.mtimeMs)}-${key}`);
  if (!existsSync(template)) {
    const draft = mkdtempSync(join(tmpdir(), 'cp-e2e-firefox-draft-'));
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: EXECUTABLES.firefox.path,
      protocol: 'webDriverBiDi',
      headless: true,
      userDataDir: draft,
    });
    await browser.close();
    try {
      renameSync(draft, template);
    } catch {
      rmSync(draft, { recursive: true, force: true });
    }
  }
  const profile = mkdtempSync(join(inject('profilesDir'), 'firefox-'));
  cpSync(template, profile, { recursive: true });
  return profile;
}

async function launchFirefox(site: StaticServer, proxy: RecordingProxy, options: SessionOptions): Promise<Session> {
  const withExt = options.extension !== false;
  const profile = await firefoxProfile();
  const browser: PpBrowser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: EXECUTABLES.firefox.path,
    protocol: 'webDriverBiDi',
    // The tests never ask the remote protocol about requests (the proxy records
    // them). Subscribed, Firefox's remote agent reported every request of
    // every page to us: on the saved news pages, about 100 to 220 requests
    // each, it took 52 s of the browser's main thread in an 88 s file, 30 s
    // without.
    networkEnabled: false,
    headless: true,
    defaultViewport: { width: 1280, height: 900 },
    userDataDir: profile,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ID]: FIREFOX_UUID }),
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': proxy.port,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxy.port,
      'network.proxy.no_proxies_on': '',
      'network.proxy.allow_hijacking_localhost': true,
      'network.proxy.share_proxy_settings': true,
      // 0 = dark, 1 = light: what pages (and our card) see as prefers-color-scheme.
      'layout.css.prefers-color-scheme.content-override': options.colorScheme === 'dark' ? 0 : 1,
      // Unload the event page after 2 s idle, so the tests can exercise waking it.
      'extensions.background.idle.timeout': 2000,
      // A tap is a touch down and up sent as two protocol actions. On a loaded
      // machine they can arrive more than the default 500 ms apart, and
      // Firefox then takes the tap for a long press, which clicks nothing.
      'ui.click_hold_context_menus.delay': 10_000,
      ...(options.locale ? { 'intl.locale.requested': options.locale, 'intl.accept_languages': options.locale } : {}),
      // 2 = always use the reader's colours: Firefox then matches forced-colors: active.
      ...(options.forcedColors ? { 'browser.display.document_color_use': 2 } : {}),
    },
  });
  if (withExt) await browser.installExtension(EXTENSIONS.firefox);
  const extensionOrigin = withExt ? `moz-extension://${FIREFOX_UUID}` : '';
  const pages = new WeakMap<Tab, PpPage>();
  const wrap = (page: PpPage): Tab => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e instanceof Error ? e.message : String(e)));
    const tab: Tab = {
      errors,
      evaluate: (fn, arg) => page.evaluate(fn as never, arg as never) as never,
      goto: async (url) => void (await page.goto(resolveUrl(site, url))),
      url: () => page.url(),
      move: (x, y, steps = 1) => page.mouse.move(x, y, { steps }),
      click: (x, y) => page.mouse.click(x, y),
      // WebDriver BiDi input actions with pointerType "touch".
      tap: (x, y) => page.touchscreen.tap(x, y),
      // Playwright's "Shift+Tab" chords, spelled out for puppeteer.
      press: async (key) => {
        const parts = key.split('+');
        const main = parts.pop()!;
        for (const m of parts) await page.keyboard.down(m as never);
        await page.keyboard.press(main as never);
        for (const m of parts.reverse()) await page.keyboard.up(m as never);
      },
      type: (text) => page.keyboard.type(text),
      screenshot: async (path) => void (await page.screenshot({ path: path as `${string}.png` })),
      setViewport: (width, height, scale = 1) => page.setViewport({ width, height, deviceScaleFactor: scale }),
      front: () => page.bringToFront(),
      close: () => page.close(),
    };
    pages.set(tab, page);
    return tab;
  };
  const session: Session = {
    kind: 'firefox',
    site: site.origin,
    extensionOrigin,
    requests: proxy.log,
    async open(p) {
      const page = await browser.newPage();
      const tab = wrap(page);
      await page.goto(resolveUrl(site, p));
      return tab;
    },
    async openExtension(path) {
      // The remote protocol may not navigate to moz-extension: URLs; a page on
      // the test site may (the e2e build lists these pages as web-accessible).
      const page = await browser.newPage();
      const tab = wrap(page);
      await page.goto(`${site.origin}/blank.html`);
      const target = `${extensionOrigin}/${path}`;
      // Right after install the extension may not accept the navigation yet:
      // retry. (Puppeteer's page.url() does not follow this navigation; ask the page.)
      const at = () => page.evaluate(() => location.href).catch(() => '');
      const arrived = async () => (await at()).startsWith(extensionOrigin);
      const deadline = Date.now() + 15_000;
      while (!(await arrived()) && Date.now() < deadline) {
        await page.evaluate((u) => void (location.href = u), target).catch(() => undefined);
        // Look every 50 ms for a second before asking again.
        for (let i = 0; i < 20 && !(await arrived()); i++) await new Promise((r) => setTimeout(r, 50));
      }
      if (!(await at()).startsWith(extensionOrigin)) throw new Error(`could not open ${target} (at ${await at()})`);
      await page.waitForFunction(() => document.readyState === 'complete', { timeout: 15_000 });
      return tab;
    },
    async stopBackground() {
      // The idle timeout above unloads the event page; wait until it has.
      const page = await session.openExtension('options.html');
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const running = await page.evaluate(() =>
          (globalThis as unknown as { browser: { extension: { getViews(): Window[] } } }).browser.extension
            .getViews()
            .some((view) => /background/.test(view.location.pathname)),
        );
        if (!running) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      await page.close();
    },
    async closeTabsBut(keep) {
      const kept = pages.get(keep);
      await Promise.all((await browser.pages()).map((page) => (page === kept ? undefined : page.close().catch(() => undefined))));
    },
    async close() {
      await browser.close().catch(() => undefined);
      await proxy.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  return session;
}
