/**
 * `npm run bench`: speed and memory figures, each next to a baseline measured
 * in the same run on the same page, so the ratios mean something on any machine.
 *
 * In headless Chromium, for every page in ../shared/real-pages (with seed text
 * injected at several places), a generated 10 MB page and an infinite-scroll feed:
 *   - ours: busy main-thread time of a full scan-and-paint pass (yields excluded)
 *   - floor: a bare TreeWalker pass reading every text node
 *   - mark.js (acrossElements) marking the same terms
 *   - the longest slice of ours (the long-task line is 50 ms)
 *   - an incremental update after appending 100 paragraphs
 * Plus the matcher alone in Node: 1 MB of text with 10 terms vs 5,000 terms.
 *
 * Prints a table and writes bench-output/results.json.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright-core';
import { startServer } from './lib/serve';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './lib/chromium';
import { corpus, skipLine } from './lib/corpus';
import { benchmarkMatcher } from '../lib/matcher/bench';
import { benchPopup } from './bench/popup';
import type { Bench } from './bench/page';

declare global {
  interface Window {
    __cpBench: Bench;
  }
}

const root = resolve(import.meta.dirname, '..');
const outside = corpus();
const realPages = outside.has('real-pages') ? outside.realPagesDir : null;
if (!realPages) console.log(skipLine('the real-page rows of the benchmark', 'real-pages', outside));
const out = join(root, 'bench-output');
const chromiumPath = CHROMIUM_PATH;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

mkdirSync(out, { recursive: true });
if (!existsSync(chromiumPath)) {
  console.error(`Chromium not found at ${chromiumPath}. Install it with: sudo apt-get install -y chromium`);
  process.exit(1);
}

// The page-side bundle: the real scanner and painter, plus mark.js.
const bundle = await build({
  entryPoints: [join(root, 'scripts/bench/page.ts')],
  bundle: true,
  write: false,
  format: 'iife',
  target: 'es2022',
  alias: { '@': root },
  loader: { '.css': 'text' },
  define: { 'import.meta.env.MODE': '"production"' },
});
const pageScript = bundle.outputFiles[0]!.text;

// Topic paragraphs of our own (the demo article's), injected into each real page at several places.
const seedParas = [...readFileSync(join(root, 'tests/fixtures/demo-article.html'), 'utf8').matchAll(/<p>([^<]{80,})<\/p>/g)].map((m) => m[1]!);
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function withSeeds(html: string): string {
  const chunks = [0, 1, 2, 3, 4].map(
    (i) =>
      `<p>${seedParas
        .slice(i * 3, i * 3 + 3)
        .map(escapeHtml)
        .join('</p><p>')}</p>`,
  );
  let n = 0;
  // After the 1st, 5th, 15th, 40th and 80th closing </p>, or at the end of <body>.
  const marks = new Set([1, 5, 15, 40, 80]);
  let used = 0;
  const injected = html.replace(/<\/p>/gi, (m) => {
    n++;
    return marks.has(n) ? `${m}${chunks[used++] ?? ''}` : m;
  });
  const rest = chunks.slice(used).join('');
  return injected.replace(/<\/body>/i, `${rest}</body>`) + (/<\/body>/i.test(injected) ? '' : rest);
}

// Pages: real pages with seeds, a generated 10 MB page.
const pagesDir = mkdtempSync(join(tmpdir(), 'cp-bench-'));
const pages: string[] = [];
for (const file of realPages ? readdirSync(realPages).filter((f) => f.endsWith('.html')) : []) {
  // Strip scripts so the saved pages do not try to run their own code against a missing network.
  const html = readFileSync(join(realPages!, file), 'utf8').replace(/<script\b[\s\S]*?<\/script>/gi, '');
  writeFileSync(join(pagesDir, file), withSeeds(html));
  pages.push(file);
}
{
  const paras: string[] = [];
  let size = 0;
  let i = 0;
  while (size < 10_000_000) {
    const p = `<p>${escapeHtml(seedParas[i++ % seedParas.length]!)} Paragraph ${i} of a long generated page about chips, models and markets.</p>\n`;
    paras.push(p);
    size += p.length;
  }
  writeFileSync(
    join(pagesDir, 'generated-10mb.html'),
    `<!doctype html><html><head><meta charset="utf-8"><title>10 MB</title></head><body><h1>Generated 10 MB page</h1>${paras.join('')}</body></html>`,
  );
  pages.push('generated-10mb.html');
}

const server = await startServer({ '/': pagesDir });
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'cp-bench-profile-')), {
  executablePath: chromiumPath,
  headless: true,
  args: [...CHROMIUM_FLAGS, '--enable-precise-memory-info'],
});
await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface Row {
  page: string;
  chars: number;
  mentions: number;
  floorMs: number;
  oursMs: number;
  oursWallMs: number;
  ratioToFloor: number;
  markjsMs: number;
  markjsOverOurs: number;
  longestSliceMs: number;
}

async function load(page: Page, file: string) {
  await page.goto(`${server.origin}/${file}`, { waitUntil: 'load', timeout: 120_000 });
  await page.evaluate(pageScript);
}

const rows: Row[] = [];
const page = await context.newPage();
for (const file of pages) {
  const floor: number[] = [];
  const ours: number[] = [];
  const wall: number[] = [];
  const mark: number[] = [];
  let longest = 0;
  let mentions = 0;
  let chars = 0;
  for (let run = 0; run < RUNS; run++) {
    await load(page, file);
    const f = await page.evaluate(() => window.__cpBench.floor());
    const o = await page.evaluate(() => window.__cpBench.ours());
    await page.evaluate(() => window.__cpBench.destroy());
    const m = file.startsWith('generated') && run > 0 ? null : await page.evaluate(() => window.__cpBench.markjs());
    floor.push(f.ms);
    ours.push(o.busyMs);
    wall.push(o.wallMs);
    if (m) mark.push(m.ms);
    longest = Math.max(longest, o.longestMs);
    mentions = o.mentions;
    chars = f.chars;
  }
  const row: Row = {
    page: file,
    chars,
    mentions,
    floorMs: median(floor),
    oursMs: median(ours),
    oursWallMs: median(wall),
    ratioToFloor: median(ours) / Math.max(median(floor), 0.05),
    markjsMs: median(mark),
    markjsOverOurs: median(mark) / Math.max(median(ours), 0.05),
    longestSliceMs: longest,
  };
  rows.push(row);
  console.log(
    `${file}: ours ${row.oursMs.toFixed(1)} ms (floor ${row.floorMs.toFixed(1)}, x${row.ratioToFloor.toFixed(2)}), mark.js ${row.markjsMs.toFixed(1)} ms (x${row.markjsOverOurs.toFixed(1)}), longest slice ${row.longestSliceMs.toFixed(1)} ms, ${row.mentions} mentions`,
  );
}

// Incremental: the largest real page, then 100 appended paragraphs.
const para = escapeHtml(seedParas[0]!);
const large = [...rows].filter((r) => !r.page.startsWith('generated')).sort((a, b) => b.chars - a.chars)[0]!.page;
await load(page, large);
await page.evaluate(() => window.__cpBench.ours());
const inc100 = await page.evaluate((p) => window.__cpBench.append(100, p), para);
const inc10 = await page.evaluate((p) => window.__cpBench.append(10, p), para);
const fullLarge = rows.find((r) => r.page === large)!;

// Infinite scroll: 720 rounds of 20 items (an hour at one screenful every 5 s), keeping 200 on the page.
await load(page, 'ars-1.html');
await page.evaluate(() => window.__cpBench.ours());
const rounds = Number(process.env.BENCH_SCROLL_ROUNDS ?? 720);
const scroll = await page.evaluate(([p, n]) => window.__cpBench.scroll(n, p), [para, rounds] as const);
const early = scroll.busyMsPerRound.slice(10, 60);
const late = scroll.busyMsPerRound.slice(-50);
const heapCdp = await (async () => {
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  return usedSize / 1e6;
})();

await context.close();
await server.close();

const matcher = benchmarkMatcher();
const popup = await benchPopup(root, chromiumPath);

const real = rows.filter((r) => !r.page.startsWith('generated'));
const summary = {
  date: new Date().toISOString(),
  runsPerPage: RUNS,
  browser: 'Chromium (headless)',
  pages: rows,
  medianRatioToFloor: median(real.map((r) => r.ratioToFloor)),
  medianMarkjsOverOurs: median(real.map((r) => r.markjsOverOurs)),
  longestSliceMs: Math.max(...rows.map((r) => r.longestSliceMs), inc100.longestMs, scroll.longestMs),
  incremental: {
    page: large,
    fullPassMs: fullLarge.oursMs,
    append100Ms: inc100.busyMs,
    append10Ms: inc10.busyMs,
    append100OverFull: inc100.busyMs / fullLarge.oursMs,
  },
  infiniteScroll: {
    rounds,
    medianBusyMsEarly: median(early),
    medianBusyMsLate: median(late),
    lateOverEarly: median(late) / Math.max(median(early), 0.01),
    mentionsTrackedAtEnd: scroll.mentions,
    heapMbAtEnd: heapCdp,
  },
  matcher,
  popup,
};
writeFileSync(join(out, 'results.json'), `${JSON.stringify(summary, null, 2)}\n`);

const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log('\npage                         chars   mentions  floor ms   ours ms  ours/floor  mark.js ms  mark.js/ours  longest slice ms');
for (const r of rows) {
  console.log(
    `${r.page.padEnd(26)}${pad(r.chars, 9)}${pad(r.mentions, 10)}${pad(r.floorMs.toFixed(1), 10)}${pad(r.oursMs.toFixed(1), 10)}${pad(r.ratioToFloor.toFixed(2), 12)}${pad(r.markjsMs.toFixed(1), 12)}${pad(r.markjsOverOurs.toFixed(1), 14)}${pad(r.longestSliceMs.toFixed(1), 18)}`,
  );
}
console.log(`\nmedian ours/floor (real pages): ${summary.medianRatioToFloor.toFixed(2)}   (target ≤ 2)`);
console.log(`median mark.js/ours (real pages): ${summary.medianMarkjsOverOurs.toFixed(1)}   (target ≥ 5)`);
console.log(`longest slice of ours anywhere: ${summary.longestSliceMs.toFixed(1)} ms   (target < 50)`);
console.log(
  `incremental on ${large}: full pass ${fullLarge.oursMs.toFixed(1)} ms, +100 paragraphs ${inc100.busyMs.toFixed(1)} ms, +10 paragraphs ${inc10.busyMs.toFixed(1)} ms`,
);
console.log(
  `infinite scroll, ${rounds} rounds: busy per round early ${median(early).toFixed(2)} ms, late ${median(late).toFixed(2)} ms (x${summary.infiniteScroll.lateOverEarly.toFixed(2)}), ${scroll.mentions} mentions tracked, heap ${heapCdp.toFixed(1)} MB`,
);
console.log(`matcher alone: ${JSON.stringify(matcher)}`);
console.log(
  `popup on a page with ${popup.mentions} mentions: summary shown at ${popup.firstContentMs.toFixed(0)} ms, document loaded at ${popup.domLoadedMs.toFixed(0)} ms (median of ${popup.runs - 1} warm runs; target < 100 ms)`,
);
console.log(`\nwritten to ${join(out, 'results.json')}`);
