/**
 * What every end-to-end file needs, set up once per file and per browser:
 * the loopback test site, a browser session with the e2e build loaded, and a
 * control tab on the settings page for extension API calls. Before each test
 * the reader's settings are cleared, so no test depends on what an earlier
 * one left behind and the files pass alone and in any order.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { launch, startTestSite, type Kind, type Session, type SessionOptions, type Tab } from './harness/browsers';
import { clearSync, controlPage, tabIdFor } from './harness/ext';
import { ReaderPage } from './pages/reader';
import type { StaticServer } from '../../scripts/lib/serve';

export { KINDS, type Kind } from './harness/browsers';

let site: StaticServer | null = null;
let users = 0;

/** The test site, started for the first suite of a file that asks and stopped after the last. */
export function useSite(): { readonly origin: string; url(path: string): string; server(): StaticServer } {
  beforeAll(async () => {
    users++;
    site ??= await startTestSite();
  });
  afterAll(async () => {
    if (--users === 0) {
      await site?.close();
      site = null;
    }
  });
  return {
    get origin() {
      if (!site) throw new Error('the test site is not running (useSite() outside a suite?)');
      return site.origin;
    },
    url(path: string) {
      return `${this.origin}${path}`;
    },
    server() {
      if (!site) throw new Error('the test site is not running');
      return site;
    },
  };
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
 * are closed after it; settings are cleared before each test.
 */
export function useBrowser(kind: Kind, options: SessionOptions = {}): BrowserFixture {
  const testSite = useSite();
  let session: Session | null = null;
  let control: Tab | null = null;
  let opened: Tab[] = [];
  beforeAll(async () => {
    // Files share their worker's modules (vitest.e2e.config.ts): a list of
    // browsers read in another project's worker would test the wrong one.
    const project = process.env.E2E_BROWSER;
    if (project && project !== kind) throw new Error(`the ${project} project was about to test ${kind}: KINDS was read in another project's worker`);
    session = await launch(kind, testSite.server(), options);
    if (options.extension !== false) control = await controlPage(session);
  }, 90_000);
  afterAll(async () => {
    await session?.close();
    session = null;
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
