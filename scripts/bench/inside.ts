/**
 * Inside measurement: the content script's real collect, scanner and painter
 * bundled on their own (scripts/bench/page.ts) and run in a page, timed with
 * `performance.now()` around each slice, next to a cold TreeWalker read of
 * the same text and mark.js on the same terms. Works in Chromium
 * (playwright-core) and in Firefox (puppeteer-core over WebDriver BiDi).
 *
 * "Cold": every figure comes from a fresh load of the page, so neither the
 * floor nor our pass finds the text already read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import puppeteer, { type LaunchOptions } from 'puppeteer-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../lib/chromium';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export interface InsideRow {
  page: string;
  chars: number;
  mentions: number;
  floorMs: number;
  oursMs: number;
  wallMs: number;
  longestSliceMs: number;
  markjsMs: number | null;
}

/** What the benchmark needs of a tab, in either browser. */
export interface BenchTab {
  goto(url: string): Promise<void>;
  run<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

export interface BenchBrowser {
  name: 'chromium' | 'firefox';
  newTab(): Promise<BenchTab>;
  close(): Promise<void>;
}

/** The page-side script, bundled for one browser (the painter writes its rules per engine). */
export async function bundlePageScript(root: string, browser: 'chromium' | 'firefox' = 'chromium'): Promise<string> {
  const bundle = await build({
    entryPoints: [join(root, 'scripts/bench/page.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    alias: { '@': root },
    loader: { '.css': 'text' },
    define: { 'import.meta.env.MODE': '"production"', 'import.meta.env.FIREFOX': String(browser === 'firefox') },
  });
  return bundle.outputFiles[0]!.text;
}

/** How the benchmark starts Firefox: headless over WebDriver BiDi, at the benchmark's viewport, with no proxy. */
export function firefoxLaunch(userDataDir: string, prefs: Record<string, unknown> = {}, env?: Record<string, string | undefined>): LaunchOptions {
  return {
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    protocol: 'webDriverBiDi',
    headless: true,
    defaultViewport: { width: 1280, height: 900 },
    userDataDir,
    extraPrefsFirefox: { 'network.proxy.type': 0, ...prefs },
    ...(env ? { env } : {}),
  };
}

export async function launchInside(name: 'chromium' | 'firefox'): Promise<BenchBrowser> {
  if (name === 'chromium') {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_FLAGS, '--enable-precise-memory-info'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route('**/*', (route) => (['127.0.0.1', 'localhost'].includes(new URL(route.request().url()).hostname) ? route.continue() : route.abort()));
    return {
      name,
      async newTab() {
        const page = await context.newPage();
        return {
          goto: async (url) => void (await page.goto(url, { waitUntil: 'load', timeout: 180_000 })),
          run: (expression) => page.evaluate(expression),
          close: () => page.close(),
        };
      },
      close: () => browser.close(),
    };
  }
  const profile = mkdtempSync(join(tmpdir(), 'cp-bench-firefox-'));
  const browser = await puppeteer.launch(firefoxLaunch(profile, { 'dom.max_script_run_time': 0 }));
  return {
    name,
    async newTab() {
      const page = await browser.newPage();
      return {
        goto: async (url) => {
          // Firefox over WebDriver BiDi once refused a plain local load ("Address rejected") mid-run; one more try.
          await page.goto(url, { waitUntil: 'load', timeout: 180_000 }).catch(async (error: unknown) => {
            if (!String(error).includes('Address rejected')) throw error;
            await new Promise((r) => setTimeout(r, 1000));
            await page.goto(url, { waitUntil: 'load', timeout: 180_000 });
          });
        },
        run: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
        close: () => page.close(),
      };
    },
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/**
 * One page: `runs` fresh loads for the floor, `runs` for our pass, one for
 * mark.js (when `withMarkjs`). Medians.
 */
export async function insideRow(browser: BenchBrowser, pageScript: string, url: string, name: string, runs: number, withMarkjs: boolean): Promise<InsideRow> {
  const tab = await browser.newTab();
  try {
    const load = async () => {
      await tab.goto(url);
      await tab.run(pageScript);
    };
    const floors: number[] = [];
    const ours: number[] = [];
    const walls: number[] = [];
    let longest = 0;
    let mentions = 0;
    let chars = 0;
    for (let i = 0; i < runs; i++) {
      await load();
      const f = await tab.run<{ ms: number; chars: number }>('window.__cpBench.floor()');
      floors.push(f.ms);
      chars = f.chars;
      await load();
      const o = await tab.run<{ busyMs: number; wallMs: number; longestMs: number; mentions: number }>('window.__cpBench.ours()');
      ours.push(o.busyMs);
      walls.push(o.wallMs);
      longest = Math.max(longest, o.longestMs);
      mentions = o.mentions;
    }
    let markjsMs: number | null = null;
    if (withMarkjs) {
      await load();
      markjsMs = (await tab.run<{ ms: number }>('window.__cpBench.markjs()')).ms;
    }
    return { page: name, chars, mentions, floorMs: median(floors), oursMs: median(ours), wallMs: median(walls), longestSliceMs: longest, markjsMs };
  } finally {
    await tab.close();
  }
}
