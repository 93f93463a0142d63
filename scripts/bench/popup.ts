/**
 * Popup open time: a page with 200 mentions in a tab, then the popup opened on
 * it ten times. Reported: when the popup's summary first shows (the
 * `counterpoint:first-content` mark, ms since the popup document started), and
 * for reference when its document finished loading, median of the runs.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { startServer } from '../lib/serve';
import { CHROMIUM_FLAGS, loadExtension } from '../lib/chromium';

declare const chrome: {
  tabs: { query(q: object): Promise<{ id?: number; url?: string }[]>; sendMessage(id: number, m: unknown, o: object): Promise<unknown> };
};

export interface PopupFigures {
  mentions: number;
  runs: number;
  firstContentMs: number;
  domLoadedMs: number;
}

export async function benchPopup(root: string, chromiumPath: string, runs = 10): Promise<PopupFigures> {
  // Always build: a stale .output would measure yesterday's popup. The e2e
  // build, because only it sets the first-content mark this measures.
  const ext = join(root, '.output/chrome-mv3-e2e');
  const built = spawnSync('npx', ['--no-install', 'wxt', 'build', '--mode', 'e2e'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0 || !existsSync(join(ext, 'manifest.json'))) throw new Error('wxt build failed');
  const paragraph = (i: number) =>
    `<p>Story ${i}: DeepSeek trained its model on Nvidia H800 chips despite US export controls, and OpenAI alleged distillation of its models. DeepSeek denied it.</p>`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>200 mentions</title></head><body>${Array.from({ length: 40 }, (_, i) => paragraph(i)).join('')}</body></html>`;
  const server = await startServer({}, [(path) => (path === '/mentions.html' ? html : undefined)]);
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'cp-bench-popup-')), {
    executablePath: chromiumPath,
    headless: true,
    args: [...CHROMIUM_FLAGS, ...loadExtension(ext)],
  });
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const origin = `chrome-extension://${new URL(worker.url()).host}`;
    const page = await context.newPage();
    await page.goto(`${server.origin}/mentions.html`);
    await page.waitForFunction(() => CSS.highlights.size > 0);
    await page.waitForTimeout(1000);
    const probe = await context.newPage();
    await probe.goto(`${origin}/options.html`);
    const { tabId, mentions } = await probe.evaluate(async (url) => {
      for (const tab of await chrome.tabs.query({})) {
        if (tab.id === undefined) continue;
        const reply = (await chrome.tabs.sendMessage(tab.id, { type: 'getFindings' }, { frameId: 0 }).catch(() => null)) as {
          value?: { url: string; total: number };
        } | null;
        if (reply?.value?.url === url) return { tabId: tab.id, mentions: reply.value.total };
      }
      throw new Error('tab not found');
    }, `${server.origin}/mentions.html`);
    const first: number[] = [];
    const loaded: number[] = [];
    for (let i = 0; i < runs; i++) {
      const popup = await context.newPage();
      await popup.setViewportSize({ width: 400, height: 600 });
      await popup.goto(`${origin}/popup.html?tab=${tabId}`);
      const mark = await popup.waitForFunction(() => performance.getEntriesByName('counterpoint:first-content')[0]?.startTime, null, { timeout: 10_000 });
      first.push(Number(await mark.jsonValue()));
      loaded.push(await popup.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd));
      await popup.close();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return { mentions, runs, firstContentMs: median(first.slice(1)), domLoadedMs: median(loaded.slice(1)) };
  } finally {
    await context.close();
    await server.close();
  }
}
