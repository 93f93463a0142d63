/**
 * `npm start`: build the extension, serve the demo article on 127.0.0.1 and
 * open the system Chromium with Counterpoint loaded on it.
 *
 * With a display, the browser stays open until you close it (or press Ctrl+C).
 * Without one, it runs headless: hovers a highlight, opens the popup, and writes
 * screenshots and a findings summary to demo-output/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './lib/serve';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, loadExtension } from './lib/chromium';

/** The extension API inside the extension's own pages and worker (evaluated there, not here). */
declare const chrome: {
  tabs: {
    query(q: object): Promise<{ id?: number }[]>;
    sendMessage(tabId: number | undefined, message: unknown, options: { frameId: number }): Promise<unknown>;
  };
};

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'demo-output');
const chromiumPath = CHROMIUM_PATH;

if (!existsSync(chromiumPath)) {
  console.error(`Chromium not found at ${chromiumPath}. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH).`);
  process.exit(1);
}

console.log('Building the extension…');
const build = spawnSync('npx', ['--no-install', 'wxt', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// The demo article is our own (tests/fixtures/demo-article.html): it needs nothing outside the repo.
const server = await startServer({ '/': join(root, 'tests/fixtures') });
const articleUrl = `${server.origin}/demo-article.html`;
const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const extension = join(root, '.output/chrome-mv3');
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'counterpoint-demo-')), {
  executablePath: chromiumPath,
  headless,
  viewport: { width: 1280, height: 900 },
  args: [...CHROMIUM_FLAGS, ...loadExtension(extension)],
});
// The demo page is local; nothing else may load.
await context.route('**/*', (route) => {
  const url = new URL(route.request().url());
  return url.hostname === '127.0.0.1' || url.protocol === 'chrome-extension:' ? route.continue() : route.abort();
});

const page = context.pages()[0] ?? (await context.newPage());
await page.goto(articleUrl);
console.log(`Demo article: ${articleUrl}`);

const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
const extensionId = new URL(worker.url()).host;

interface Findings {
  state: string;
  total: number;
  byTopic: Record<string, number>;
}

/** Asks the article's content script for its findings (tab URLs are hidden without the "tabs" permission). */
async function askArticle(): Promise<{ tabId: number; findings: Findings } | null> {
  return worker.evaluate(async (url) => {
    for (const tab of await chrome.tabs.query({})) {
      if (tab.id === undefined) continue;
      const reply = (await chrome.tabs.sendMessage(tab.id, { type: 'getFindings' }, { frameId: 0 }).catch(() => null)) as {
        ok?: boolean;
        value?: Findings & { url?: string };
      } | null;
      if (reply?.ok && reply.value?.url === url) return { tabId: tab.id, findings: reply.value };
    }
    return null;
  }, articleUrl);
}

// Wait until the first pass has painted the article.
let found: { tabId: number; findings: Findings } | null = null;
for (const deadline = Date.now() + 30_000; Date.now() < deadline; await page.waitForTimeout(250)) {
  found = await askArticle();
  if (found?.findings.state === 'done' && found.findings.total > 0) break;
}
if (!found || found.findings.total === 0) {
  console.error('Counterpoint did not report any mention on the demo article within 30 s.');
  process.exit(1);
}

// The pointer rests on the $6 million claim, so the first thing a reader sees is a card open on the article.
const findClaim = () =>
  page.evaluate(() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
      const i = n.data.includes('less than $6 million') ? n.data.indexOf('DeepSeek') : -1;
      if (i < 0) continue;
      n.parentElement?.scrollIntoView({ block: 'center' });
      const range = document.createRange();
      range.setStart(n, i);
      range.setEnd(n, i + 'DeepSeek'.length);
      const r = range.getClientRects()[0]!;
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }
    return null;
  });
const restOn = async (p: { x: number; y: number }) => {
  await page.mouse.move(p.x - 40, p.y + 40);
  await page.mouse.move(p.x, p.y, { steps: 4 });
};
if (!headless) {
  const point = await findClaim();
  if (point) await restOn(point);
  console.log(
    'Chromium is open with Counterpoint loaded, and a card is open on the article. Hover any underlined term. Close the browser or press Ctrl+C to stop.',
  );
  await new Promise<void>((done) => context.on('close', () => done()));
  await server.close();
  process.exit(0);
}

mkdirSync(out, { recursive: true });
await page.evaluate(() => window.scrollTo(0, 0));
await page.waitForTimeout(300);
await page.screenshot({ path: join(out, 'article-highlighted.png') });

let cardOpened = false;
const point = await findClaim();
if (point) {
  await restOn(point);
  // The card is the one element Counterpoint adds: a popover at the end of <body>.
  cardOpened = await page
    .waitForFunction(() => [...document.querySelectorAll('body > [popover]')].some((el) => el.matches(':popover-open')), null, { timeout: 10_000 })
    .then(
      () => true,
      () => false,
    );
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(out, 'card-over-article.png') });
}

const popup = await context.newPage();
await popup.setViewportSize({ width: 400, height: 600 });
await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${found.tabId}`);
await popup.waitForSelector('.topics, .state', { timeout: 10_000 });
await popup.waitForTimeout(500);
await popup.screenshot({ path: join(out, 'popup.png') });
const final = await popup.evaluate(async (id) => chrome.tabs.sendMessage(id, { type: 'getFindings' }, { frameId: 0 }), found.tabId);

writeFileSync(join(out, 'findings.json'), JSON.stringify(final, null, 2));
const value = (final as { value?: Findings }).value;
const byTopic = value?.byTopic ?? {};
const missing = ['deepseek', 'distillation', 'export-controls'].filter((topic) => !byTopic[topic]);
const summary = [
  `Counterpoint demo — ${articleUrl}`,
  `Mentions found: ${value?.total ?? 0}`,
  ...Object.entries(byTopic).map(([topic, count]) => `  ${topic}: ${count}`),
  `Card opened on hover: ${cardOpened ? 'yes' : 'no'}`,
  '',
  'Files:',
  '  article-highlighted.png  the article with its mentions marked',
  '  card-over-article.png    the card over the article, opened by resting the pointer on a mention',
  '  popup.png                the toolbar popup for the article',
  '  findings.json            every mention with its sentence',
].join('\n');
writeFileSync(join(out, 'summary.txt'), `${summary}\n`);
console.log(`\n${summary}\n\nWritten to ${out}`);
await context.close();
await server.close();
if (missing.length || !cardOpened) {
  console.error(`The demo is incomplete: ${missing.length ? `no mentions of ${missing.join(', ')}` : 'no card opened on hover'}.`);
  process.exit(1);
}
