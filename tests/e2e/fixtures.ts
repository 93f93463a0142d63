/**
 * What every end-to-end file needs, per browser: the loopback test site, a
 * browser session with the e2e build loaded, and a control tab on the
 * settings page for extension API calls. Before each test the reader's
 * settings are cleared, so no test depends on what an earlier one left behind
 * and the files pass alone and in any order.
 *
 * A worker runs file after file in one process (vitest.e2e.config.ts), and
 * a session with the default options is handed from one file to the next
 * instead of being closed and launched again: a launch took 2–3 s in Chromium
 * and 5–6 s in Firefox, and most files use the default session. Between files
 * it is brought back to the state a new one starts in, as far as a file can
 * see: one tab (the control page), the extension's settings and its own notes
 * in storage.local cleared (the term index it publishes there kept), and the
 * proxy's log of requests empty. Files that check what a session does from
 * its start (privacy over a whole session, the database and background
 * faults) ask for a fresh one.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { launch, startTestSite, type Kind, type Session, type SessionOptions, type Tab } from './harness/browsers';
import { clearSync, controlPage, tabIdFor } from './harness/ext';
import { ReaderPage } from './pages/reader';
import type { StaticServer } from '../../scripts/lib/serve';
import { TERM_INDEX_KEY } from '../../lib/term-index';

export { KINDS, type Kind } from './harness/browsers';

/**
 * The test site, one per worker, started for the first file that asks. It
 * outlives the file: a session handed on keeps its proxy, which lets through
 * this site's origin and nothing else.
 */
let site: Promise<StaticServer> | null = null;

/** The test site of this worker. */
export function useSite(): { readonly origin: string; url(path: string): string; server(): StaticServer } {
  let server: StaticServer | null = null;
  beforeAll(async () => {
    site ??= startTestSite();
    server = await site;
  });
  return {
    get origin() {
      if (!server) throw new Error('the test site is not running (useSite() outside a suite?)');
      return server.origin;
    },
    url(path: string) {
      return `${this.origin}${path}`;
    },
    server() {
      if (!server) throw new Error('the test site is not running');
      return server;
    },
  };
}

/** A default session a file has finished with, per browser, for the worker's next file. */
const handedOn = new Map<Kind, { session: Session; control: Tab }>();

const isDefault = (options: SessionOptions) =>
  options.extension !== false && (options.colorScheme ?? 'light') === 'light' && !options.locale && !options.forcedColors;

/** A handed-on session, brought back to a new session's state; null when there is none or it no longer answers. */
async function takeHandedOn(kind: Kind): Promise<{ session: Session; control: Tab } | null> {
  const kept = handedOn.get(kind);
  if (!kept) return null;
  handedOn.delete(kind);
  try {
    await kept.session.closeTabsBut(kept.control);
    // Settings too, not only before each test: a file's beforeAll sees them as a new session's.
    await clearSync(kept.control);
    await kept.control.evaluate(async (indexKey) => {
      type Api = { storage: { local: { get(): Promise<Record<string, unknown>>; remove(keys: string[]): Promise<void> } } };
      const g = globalThis as unknown as { browser?: Api; chrome?: Api };
      const local = (g.browser ?? g.chrome)!.storage.local;
      await local.remove(Object.keys(await local.get()).filter((key) => key !== indexKey));
    }, TERM_INDEX_KEY);
    kept.session.requests.length = 0;
    return kept;
  } catch {
    await kept.session.close();
    return null;
  }
}

export interface BrowserFixture {
  readonly kind: Kind;
  readonly session: Session;
  /** An extension page for API calls (settings, messages, badge). */
  readonly control: Tab;
  readonly origin: string;
  /** Opens a page of the test site in a new tab, brings it to the front and returns it as a reader page. */
  open(path: string): Promise<ReaderPage>;
  /** The tab id of a page of the test site. */
  tabId(path: string): Promise<number>;
}

/**
 * A browser for the enclosing suite. Tabs opened with `open` during a test
 * are closed after it; settings are cleared before each test. With `fresh`,
 * the suite gets a session launched for it and closed after it, never one an
 * earlier file used.
 */
export function useBrowser(kind: Kind, options: SessionOptions = {}, { fresh = false } = {}): BrowserFixture {
  const testSite = useSite();
  const shared = !fresh && isDefault(options);
  let session: Session | null = null;
  let control: Tab | null = null;
  let opened: Tab[] = [];
  beforeAll(async () => {
    // Files share their worker's modules (vitest.e2e.config.ts): a list of
    // browsers read in another project's worker would test the wrong one.
    const project = process.env.E2E_BROWSER;
    if (project && project !== kind) throw new Error(`the ${project} project was about to test ${kind}: KINDS was read in another project's worker`);
    const kept = shared ? await takeHandedOn(kind) : null;
    if (kept) ({ session, control } = kept);
    else {
      session = await launch(kind, testSite.server(), options);
      if (options.extension !== false) control = await controlPage(session);
    }
  }, 90_000);
  afterAll(async () => {
    if (shared && session && control && !handedOn.has(kind)) handedOn.set(kind, { session, control });
    else await session?.close();
    session = null;
    control = null;
  });
  beforeEach(async () => {
    if (control) await clearSync(control);
  });
  afterEach(async () => {
    for (const tab of opened) await tab.close().catch(() => undefined);
    opened = [];
  });
  const need = <T>(value: T | null, what: string): T => {
    if (!value) throw new Error(`${what} is not ready (useBrowser() outside a suite?)`);
    return value;
  };
  return {
    kind,
    get session() {
      return need(session, 'the browser session');
    },
    get control() {
      return need(control, 'the control page');
    },
    get origin() {
      return testSite.origin;
    },
    async open(path) {
      const tab = await need(session, 'the browser session').open(path);
      opened.push(tab);
      await tab.front();
      return new ReaderPage(tab);
    },
    tabId(path) {
      return tabIdFor(need(control, 'the control page'), testSite.url(path));
    },
  };
}
