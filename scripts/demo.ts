/**
 * `npm start`: build the extension, serve the demo article on 127.0.0.1 and
 * open the system Chromium with Counterpoint loaded on it.
 *
 * With a display, the browser stays open until you close it (or press Ctrl+C).
 * Without one, it runs headless: hovers a highlight, opens the popup, and writes
 * screenshots and a findings summary to demo-output/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './lib/serve';
import { CHROMIUM_FLAGS, loadExtension } from './lib/chromium';
import { fillTemplate, readSeeds } from './lib/seeds';

/** The extension API inside the extension's own pages and worker (evaluated there, not here). */
declare const chrome: {
  tabs: {
    query(q: object): Promise<{ id?: number }[]>;
    sendMessage(tabId: number | undefined, message: unknown, options: { frameId: number }): Promise<unknown>;
  };
};

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'demo-output');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync(chromiumPath)) {
  console.error(`Chromium not found at ${chromiumPath}. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH).`);
  process.exit(1);
}

console.log('Building the extension…');
const build = spawnSync('npx', ['--no-install', 'wxt', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const template = readFileSync(join(root, 'tests/fixtures/demo-article.html'), 'utf8');
const server = await startServer({ '/': join(root, 'tests/fixtures') }, [
  (path) => (path === '/demo-article.html' ? fillTemplate(template, readSeeds()) : undefined),
]);
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

if (!headless) {
  console.log('Chromium is open with Counterpoint loaded. Hover an underlined term. Close the browser or press Ctrl+C to stop.');
  await new Promise<void>((done) => context.on('close', () => done()));
  await server.close();
  process.exit(0);
}

mkdirSync(out, { recursive: true });
await page.waitForFunction(() => [...CSS.highlights.keys()].some((k) => k.startsWith('counterpoint-')), null, { timeout: 20_000 });
await page.screenshot({ path: join(out, 'article-highlighted.png') });

// Hover the first mention of the $6 million training-cost claim, rest, and capture the card.
const point = await page.evaluate(() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const i = (n as Text).data.indexOf('DeepSeek');
    if (i < 0) continue;
    const range = document.createRange();
    range.setStart(n, i);
    range.setEnd(n, i + 'DeepSeek'.length);
    range.startContainer.parentElement?.scrollIntoView({ block: 'center' });
    const r = range.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }
  return null;
});
if (point) {
  await page.mouse.move(point.x, point.y, { steps: 4 });
  await page.waitForSelector('counterpoint-popover', { state: 'attached', timeout: 10_000 }).catch(() => undefined);
  await page.waitForTimeout(700);
  await page.screenshot({ path: join(out, 'card-over-article.png') });
}

const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
const extensionId = new URL(worker.url()).host;
// Tab URLs are hidden without the "tabs" permission: ask each tab's content script where it is.
const tabId = await worker.evaluate(async (url) => {
  for (const tab of await chrome.tabs.query({})) {
    if (tab.id === undefined) continue;
    const reply = (await chrome.tabs.sendMessage(tab.id, { type: 'getFindings' }, { frameId: 0 }).catch(() => null)) as { value?: { url?: string } } | null;
    if (reply?.value?.url === url) return tab.id;
  }
  return undefined;
}, articleUrl);
if (tabId === undefined) throw new Error('Counterpoint is not running in the demo tab');
const popup = await context.newPage();
await popup.setViewportSize({ width: 400, height: 600 });
await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
await popup.waitForSelector('.topics, .state', { timeout: 10_000 });
await popup.waitForTimeout(500);
await popup.screenshot({ path: join(out, 'popup.png'), fullPage: true });
const findings = await popup.evaluate(async (id) => chrome.tabs.sendMessage(id, { type: 'getFindings' }, { frameId: 0 }), tabId);

writeFileSync(join(out, 'findings.json'), JSON.stringify(findings, null, 2));
const value = (findings as { value?: { total: number; byTopic: Record<string, number> } }).value;
const summary = [
  `Counterpoint demo — ${articleUrl}`,
  `Mentions found: ${value?.total ?? 0}`,
  ...Object.entries(value?.byTopic ?? {}).map(([topic, count]) => `  ${topic}: ${count}`),
  '',
  'Files:',
  '  article-highlighted.png  the article with its mentions underlined',
  '  card-over-article.png    the hover card over the article',
  '  popup.png                the toolbar popup for the article',
  '  findings.json            every mention with its sentence',
].join('\n');
writeFileSync(join(out, 'summary.txt'), `${summary}\n`);
console.log(`\n${summary}\n\nWritten to ${out}`);
await context.close();
await server.close();
