/**
 * Outside measurement of the built extension on a page: load it in Chromium
 * with the extension (and, for the page's own cost, without), record a trace
 * over the load and the extension's work, and attribute main-thread time.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, loadExtension } from '../lib/chromium';
import { afterMark, attribute, profileTimeOf, recordTrace, type AfterMark, type Attribution, type TraceEvent } from './trace';

export interface OutsideBrowser {
  context: BrowserContext;
  /** The prefix of the extension's script URLs, or '' without the extension. */
  prefix: string;
  close(): Promise<void>;
}

export async function launchOutside(extensionDir: string | null): Promise<OutsideBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'cp-bench-outside-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [...CHROMIUM_FLAGS, ...(extensionDir ? loadExtension(extensionDir) : [])],
  });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    return ['127.0.0.1', 'localhost'].includes(url.hostname) || url.protocol === 'chrome-extension:' ? route.continue() : route.abort();
  });
  let prefix = '';
  if (extensionDir) {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
    prefix = `chrome-extension://${new URL(worker.url()).host}/`;
  }
  return {
    context,
    prefix,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Sum of our highlight ranges on the page (the page itself registers none). */
export function paintedRanges(page: Page): Promise<number> {
  return page.evaluate(() => [...CSS.highlights.values()].reduce((n, h) => n + (h as Highlight).size, 0));
}

/**
 * Waits until the painted count has not changed for `quietMs` (or `maxMs`
 * passed). On a page that holds topic text (`some`), a count of none is not
 * settled: a large page's first pass paints only when it ends, seconds after
 * the load, and stopping at none would end the trace in the middle of it.
 * Without the extension nothing is ever painted: pass `some` false.
 */
export async function paintedSettles(page: Page, quietMs: number, maxMs: number, some = true): Promise<number> {
  const start = Date.now();
  let last = -1;
  let since = Date.now();
  while (Date.now() - start < maxMs) {
    const n = await paintedRanges(page).catch(() => last);
    if (n !== last) {
      last = n;
      since = Date.now();
    } else if (Date.now() - since >= quietMs && (n > 0 || !some)) break;
    await page.waitForTimeout(100);
  }
  return last;
}

/**
 * Waits until the script has been all but idle (under `quietMs` of its own
 * CPU time) for a whole `windowMs`, seen by the CPU profiler. The painted
 * count cannot say this on a capped page: it reaches the cap and holds still
 * while the pass goes on counting mentions, and on a slow machine it held
 * still long enough for the idle minute to begin inside the pass (2,009 ms
 * of ours in one such minute, against under 100 ms once the pass was over).
 */
export async function oursQuiet(cdp: CDPSession, prefix: string, windowMs = 2000, maxMs = 120_000, quietMs = 20): Promise<void> {
  if (!prefix) return;
  await cdp.send('Profiler.enable');
  const start = Date.now();
  while (Date.now() - start < maxMs) {
    await cdp.send('Profiler.start');
    await new Promise((done) => setTimeout(done, windowMs));
    const { profile } = await cdp.send('Profiler.stop');
    if (profileTimeOf(profile, prefix) < quietMs) break;
  }
  await cdp.send('Profiler.disable');
}

export interface OutsideRun {
  attribution: Attribution;
  painted: number;
  events: TraceEvent[];
}

/** Loads `url` in a fresh tab under a trace, waits for the extension's work to settle, and attributes it. */
export async function traceLoad(
  browser: OutsideBrowser,
  url: string,
  opts: { quietMs?: number; maxMs?: number; extraMs?: number; some?: boolean } = {},
): Promise<OutsideRun> {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  let painted = 0;
  const events = await recordTrace(cdp, async () => {
    await page.goto(url, { waitUntil: 'load', timeout: 180_000 });
    painted = browser.prefix ? await paintedSettles(page, opts.quietMs ?? 1500, opts.maxMs ?? 60_000, opts.some) : 0;
    await page.waitForTimeout(opts.extraMs ?? 500);
  });
  await page.close();
  return { attribution: attribute(events, browser.prefix || '\u0000none'), painted, events };
}

const TOPIC_PARAGRAPH = 'Late news: DeepSeek said its new model ran on Huawei chips, as the export controls on Nvidia parts stayed in place.';

/**
 * The least a content script that reads a page can cost: an extension of a
 * service worker and one content script, run when the page is idle as ours
 * is, that reads every text node of the body once and keeps nothing. Its
 * time is what evaluating a script in an isolated world and reading the text
 * from there cost on that page, measured the same way as ours.
 */
export function writeReferenceExtension(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cp-bench-reference-'));
  const manifest = {
    manifest_version: 3,
    name: 'Reference reader',
    version: '1.0',
    background: { service_worker: 'worker.js' },
    content_scripts: [{ matches: ['<all_urls>'], run_at: 'document_idle', js: ['read.js'] }],
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'worker.js'), "self.addEventListener('install', () => {});\n");
  writeFileSync(
    join(dir, 'read.js'),
    `(() => {
  const walker = document.createTreeWalker(document.body ?? document.documentElement, NodeFilter.SHOW_TEXT);
  let chars = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) chars += n.data.length;
  globalThis.referenceChars = chars;
})();
`,
  );
  return dir;
}

export interface OutsideRow {
  page: string;
  ours: Attribution;
  /** The page's own main-thread time over the same load, without the extension. */
  pageMs: number;
  overheadPct: number;
  painted: number;
  /** mark.js over the same terms, measured the same way (its own script URL), or null where not run. */
  markjsMs: number | null;
  /** The reference reader's time on the same page (median of the same number of loads), or null where not run. */
  referenceMs: number | null;
}

/**
 * One page from outside: with the extension, without it, and mark.js without
 * it. With `runs` loads of each: the load whose time of ours is the median
 * stands for the page, but the longest task is the worst seen in any load,
 * and what the long tasks were made of comes from the load with the most.
 */
export async function outsideRow(
  ext: OutsideBrowser,
  plain: OutsideBrowser,
  url: string,
  name: string,
  markjs: { url: string } | null,
  maxMs = 60_000,
  extraMs = 500,
  runs = 1,
  /** The page holds topic text: the trace goes on until something is painted. */
  some = true,
  /** The reference reader (`writeReferenceExtension`), loaded as `ext` is, or null to skip it. */
  reference: OutsideBrowser | null = null,
): Promise<OutsideRow> {
  const withRuns: OutsideRun[] = [];
  const pageRuns: number[] = [];
  const referenceRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    // The painted count settles before a capped page's scan ends: `extraMs` keeps the trace going.
    withRuns.push(await traceLoad(ext, url, { maxMs, extraMs, some }));
    pageRuns.push((await traceLoad(plain, url, { extraMs: 1500 })).attribution.mainThreadMs);
    if (reference) referenceRuns.push((await traceLoad(reference, url, { quietMs: 500, extraMs: 1500, some: false })).attribution.profileMs);
  }
  withRuns.sort((a, b) => a.attribution.profileMs - b.attribution.profileMs);
  const withExt = withRuns[Math.floor(runs / 2)]!;
  const worst = (pick: (a: Attribution) => number) => Math.max(...withRuns.map((r) => pick(r.attribution)));
  // What the long tasks were made of, from the load that had the most.
  const mostLong = withRuns.reduce((a, b) => (b.attribution.longTasks > a.attribution.longTasks ? b : a)).attribution;
  const ours: Attribution = {
    ...withExt.attribution,
    longTaskGcMs: mostLong.longTaskGcMs,
    longTaskOffCpuMs: mostLong.longTaskOffCpuMs,
    longTasksBeyondGc: mostLong.longTasksBeyondGc,
    longestTaskMs: worst((a) => a.longestTaskMs),
    longestOursInTaskMs: worst((a) => a.longestOursInTaskMs),
    longTasks: worst((a) => a.longTasks),
    longTasksOfOurs: worst((a) => a.longTasksOfOurs),
  };
  const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  const pageMs = middle(pageRuns);
  let markjsMs: number | null = null;
  if (markjs) {
    const page = await plain.context.newPage();
    await page.goto(url, { waitUntil: 'load', timeout: 180_000 });
    await page.addScriptTag({ url: markjs.url });
    await page.waitForTimeout(300);
    const cdp = await plain.context.newCDPSession(page);
    const events = await recordTrace(cdp, async () => {
      await page.evaluate('window.__markRun()');
      await page.waitForTimeout(500);
    });
    markjsMs = attribute(events, markjs.url).profileMs;
    await page.close();
  }
  return {
    page: name,
    ours,
    pageMs,
    overheadPct: (100 * ours.profileMs) / Math.max(pageMs, 1),
    painted: withExt.painted,
    markjsMs,
    referenceMs: reference ? middle(referenceRuns) : null,
  };
}

/**
 * A bare TreeWalker read of every text node of the body, timed in the page:
 * the least any scanner must do. Also the longest single step of that read,
 * for the longest pause a walk meets without doing anything of its own: in an
 * isolated world every node read gets a wrapper of that world's, and the walk
 * stops now and then (most likely the engine's upkeep of those wrappers).
 */
const FLOOR_READ = `(() => {
  const t0 = performance.now();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let chars = 0;
  let last = t0;
  let pause = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    chars += n.data.length;
    const now = performance.now();
    if (now - last > pause) pause = now - last;
    last = now;
  }
  return { ms: performance.now() - t0 + chars * 0, pause };
})()`;

/**
 * The floor, read cold on a fresh load, in the page's own world and in an
 * isolated world, where a content script runs. An isolated world keeps its
 * own wrapper for every node it touches, in a table of its own, so the same
 * read costs it more than a page script.
 */
export async function floorReads(
  browser: OutsideBrowser,
  url: string,
): Promise<{ mainMs: number; isolatedMs: number; mainPauseMs: number; isolatedPauseMs: number }> {
  const read = async (isolated: boolean) => {
    const page = await browser.context.newPage();
    try {
      const cdp = await browser.context.newCDPSession(page);
      await page.goto(url, { waitUntil: 'load', timeout: 180_000 });
      let contextId: number | undefined;
      if (isolated) {
        const { frameTree } = await cdp.send('Page.getFrameTree');
        ({ executionContextId: contextId } = await cdp.send('Page.createIsolatedWorld', {
          frameId: frameTree.frame.id,
          worldName: 'counterpoint-bench-floor',
        }));
      }
      const out = await cdp.send('Runtime.evaluate', { expression: FLOOR_READ, returnByValue: true, ...(contextId ? { contextId } : {}) });
      return out.result.value as { ms: number; pause: number };
    } finally {
      await page.close();
    }
  };
  const [main, isolated] = [await read(false), await read(true)];
  return { mainMs: main.ms, isolatedMs: isolated.ms, mainPauseMs: main.pause, isolatedPauseMs: isolated.pause };
}

/** A page left alone after it settled: what we do while nothing changes. */
export async function idleWindow(ext: OutsideBrowser, url: string, idleMs: number): Promise<Attribution> {
  const page = await ext.context.newPage();
  await page.goto(url, { waitUntil: 'load', timeout: 180_000 });
  await paintedSettles(page, 2000, 120_000, !!ext.prefix);
  const cdp = await ext.context.newCDPSession(page);
  // Idle means after the first pass and what follows it (the sweeps for late shadow roots).
  await oursQuiet(cdp, ext.prefix);
  const events = await recordTrace(cdp, () => page.waitForTimeout(idleMs));
  await page.close();
  if (process.env.BENCH_KEEP_TRACES) writeFileSync(join(process.env.BENCH_KEEP_TRACES, 'idle.json'), JSON.stringify(events));
  return attribute(events, ext.prefix);
}

export interface AppendFigures {
  /** From the append to a highlight inside the new paragraph (ms), or null if none came within the wait. */
  paintedAfterMs: number | null;
  attribution: Attribution;
  /** The main thread after the append: the page's own rendering first, then our turn, then the repaint of our highlight. */
  after: AfterMark;
}

/**
 * On a page with more mentions than are painted: scroll to the middle, append
 * a paragraph with a mention where the reader is looking, and time its highlight.
 */
export async function appendWhereReading(ext: OutsideBrowser, url: string, waitMs = 10_000): Promise<AppendFigures> {
  const page = await ext.context.newPage();
  await page.goto(url, { waitUntil: 'load', timeout: 180_000 });
  await paintedSettles(page, 2000, 120_000, !!ext.prefix);
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
  await page.waitForTimeout(1500);
  const cdp = await ext.context.newCDPSession(page);
  // The append's cost alone: the first pass, and the work the scroll set off, over first.
  await oursQuiet(cdp, ext.prefix);
  let paintedAfterMs: number | null = null;
  const events = await recordTrace(cdp, async () => {
    const t0 = Date.now();
    await page.evaluate((text) => {
      const at = document.elementFromPoint(innerWidth / 2, innerHeight / 2)?.closest('p, div') ?? document.body;
      const p = document.createElement('p');
      p.id = 'appended';
      p.textContent = text;
      console.timeStamp('counterpoint-append');
      at.after(p);
    }, TOPIC_PARAGRAPH);
    while (Date.now() - t0 < waitMs) {
      const hit = await page.evaluate(() => {
        const p = document.getElementById('appended');
        for (const h of CSS.highlights.values()) for (const r of h as Highlight) if (p?.contains(r.startContainer)) return true;
        return false;
      });
      if (hit) {
        paintedAfterMs = Date.now() - t0;
        break;
      }
      await page.waitForTimeout(50);
    }
    await page.waitForTimeout(500);
  });
  await page.close();
  if (process.env.BENCH_KEEP_TRACES) writeFileSync(join(process.env.BENCH_KEEP_TRACES, 'append.json'), JSON.stringify(events));
  return { paintedAfterMs, attribution: attribute(events, ext.prefix), after: afterMark(events, ext.prefix, 'counterpoint-append') };
}
