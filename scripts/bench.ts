/**
 * `npm run bench`: speed and memory figures, each next to a baseline measured
 * in the same run on the same page, so the ratios mean something on any
 * machine. Not a test: nothing here can fail a build.
 *
 *   inside    the content script's scanner bundled into the page, timed with
 *             performance.now() around each slice, against a cold TreeWalker
 *             read of the same text (the floor) and mark.js on the same terms;
 *             Chromium and Firefox
 *   outside   the release build loaded as an extension in Chromium, its work
 *             attributed from a trace of every renderer's main thread (CPU
 *             profile samples and trace events naming its scripts): script,
 *             compile, GC, forced style and layout. Next to the page's own
 *             main-thread time without the extension, mark.js measured the
 *             same way, and a reference reader (an extension whose content
 *             script only reads the page's text once): what any extension
 *             that reads the page must pay, the floor under our overhead
 *   scenarios an idle minute on the 16 MB page, a paragraph appended where the
 *             reader is looking on that (capped) page and on a capped page
 *             of light layout (over 10,000 mentions), a page with 30 small
 *             cross-origin frames with and without us, an hour of infinite
 *             scroll, the matcher alone, the popup, and the size of the script
 *             every frame evaluates
 *
 * Pages: the outside corpus's saved real pages (with topic paragraphs of our
 * own injected) when present, and generated pages of 0.25, 1, 4 and 16 MB;
 * outside, also the 4 MB page without headings (one section holding all of
 * its mentions), one paragraph of 100,000 spans, and the e2e suite's
 * extreme pages (a 10 MB text node, 100,000 text nodes, over 10,000
 * mentions).
 * Prints tables and writes bench-output/results.json.
 *
 *   BENCH_RUNS (3)            fresh loads per inside figure, and per outside
 *                             figure of pages up to 1 MB (median; worst task)
 *   BENCH_IDLE_MS (60000)     the idle window
 *   BENCH_ONLY=inside,outside,scenarios,firefox   a subset
 *   BENCH_PAGES=<regex>      only the pages whose file name matches
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { startServer } from './lib/serve';
import { CHROMIUM_PATH } from './lib/chromium';
import { corpus, skipLine } from './lib/corpus';
import { benchmarkMatcher } from '../lib/matcher/bench';
import { benchPopup } from './bench/popup';
import { writeBenchPages } from './bench/pages';
import { bundlePageScript, insideRow, launchInside, type InsideRow } from './bench/inside';
import {
  appendWhereReading,
  floorReads,
  idleWindow,
  launchOutside,
  outsideRow,
  traceLoad,
  writeReferenceExtension,
  type AppendFigures,
  type OutsideRow,
} from './bench/outside';
import type { Attribution } from './bench/trace';
import { geckoLoad, type GeckoAttribution } from './bench/gecko';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'bench-output');
mkdirSync(out, { recursive: true });
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 60_000);
const only = new Set((process.env.BENCH_ONLY ?? 'inside,outside,scenarios,firefox').split(','));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const pad = (s: string | number, n: number) => String(s).padStart(n);
const f1 = (n: number | null | undefined) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(1));
const referencePct = (r: OutsideRow) => (r.referenceMs === null ? NaN : (100 * r.referenceMs) / Math.max(r.pageMs, 1));
const referenceColumns = (r: OutsideRow) =>
  `${pad(f1(r.referenceMs), 11)}${pad(f1(referencePct(r)), 10)}${pad(r.referenceMs ? f1(r.ours.profileMs / r.referenceMs) : '—', 13)}`;
/** What the tasks over 50 ms with our work were made of. */
const longTasksLine = (a: Attribution) =>
  `in the ${a.longTasks} over 50 ms: GC ${f1(a.longTaskGcMs)} ms, off the CPU ${f1(a.longTaskOffCpuMs)} ms; over 50 ms without those: ${a.longTasksBeyondGc}`;

if (!existsSync(CHROMIUM_PATH)) {
  console.error(`Chromium not found at ${CHROMIUM_PATH}. Install it with: sudo apt-get install -y chromium`);
  process.exit(1);
}

// The release build: what the outside measurement loads and what every frame evaluates.
console.log('Building the release extension…');
if (spawnSync('npx', ['--no-install', 'wxt', 'build'], { cwd: root, stdio: 'ignore' }).status !== 0) throw new Error('wxt build failed');
const extensionDir = join(root, '.output/chrome-mv3');
if (only.has('firefox') && spawnSync('npx', ['--no-install', 'wxt', 'build', '-b', 'firefox'], { cwd: root, stdio: 'ignore' }).status !== 0)
  throw new Error('wxt build -b firefox failed');
const firefoxExtensionDir = join(root, '.output/firefox-mv3');

const outside = corpus();
const realDir = outside.has('real-pages') ? outside.realPagesDir : null;
if (!realDir) console.log(skipLine('the real-page rows of the benchmark', 'real-pages', outside));
const pages = writeBenchPages(root, realDir);
const markjsBundle = await build({ entryPoints: [join(root, 'scripts/bench/markjs-runner.ts')], bundle: true, write: false, format: 'iife', target: 'es2022' });
writeFileSync(join(pages.dir, 'markjs-runner.js'), markjsBundle.outputFiles[0]!.text);
const server = await startServer({ '/': pages.dir });
const port = new URL(server.origin).port;
// The frames come from another site (localhost is not 127.0.0.1), as ads and embeds do.
writeFileSync(join(pages.dir, 'frames.html'), readFileSync(join(pages.dir, 'frames.html'), 'utf8').replaceAll('FRAME_ORIGIN', `http://localhost:${port}`));
const url = (file: string) => `${server.origin}/${file}`;
const pageScripts = { chromium: await bundlePageScript(root, 'chromium'), firefox: await bundlePageScript(root, 'firefox') };
const pageScript = pageScripts.chromium;
const markjsFor = (file: string) => pages.real.includes(file) || /generated-(0\.25|1)mb/.test(file);
const pageFilter = new RegExp(process.env.BENCH_PAGES ?? '.');
const allPages = [...pages.real, ...pages.generated.map((g) => g.file)].filter((f) => pageFilter.test(f));

const results: Record<string, unknown> = { date: new Date().toISOString(), runsPerPage: RUNS };

// ── Inside ────────────────────────────────────────────────────────────────
async function insideRows(name: 'chromium' | 'firefox'): Promise<InsideRow[]> {
  const browser = await launchInside(name);
  const rows: InsideRow[] = [];
  try {
    for (const file of allPages) {
      const row = await insideRow(browser, pageScripts[name], url(file), file, RUNS, markjsFor(file));
      rows.push(row);
      console.log(
        `[inside ${name}] ${file}: floor ${f1(row.floorMs)} ms, ours ${f1(row.oursMs)} ms (x${f1(row.oursMs / row.floorMs)}), longest slice ${f1(row.longestSliceMs)} ms, mark.js ${f1(row.markjsMs)} ms, ${row.mentions} mentions`,
      );
    }
  } finally {
    await browser.close();
  }
  return rows;
}

function slope(rows: InsideRow[], pick: (r: InsideRow) => number): number {
  return leastSquares(
    pages.generated.filter((g) => rows.some((r) => r.page === g.file)).map((g) => ({ x: g.mb, y: pick(rows.find((r) => r.page === g.file)!) })),
  );
}

/** The slope of a least-squares line through the points: here, ms per MB of page. */
function leastSquares(pts: { x: number; y: number }[]): number {
  const mx = pts.reduce((a, p) => a + p.x, 0) / pts.length;
  const my = pts.reduce((a, p) => a + p.y, 0) / pts.length;
  return pts.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / pts.reduce((a, p) => a + (p.x - mx) ** 2, 0);
}

function printInside(name: string, rows: InsideRow[]): void {
  console.log(`\nInside (${name}): busy main-thread time of our pass, cold, median of ${RUNS}`);
  console.log('page                          chars  mentions  floor ms  ours ms  ours/floor  longest slice  mark.js ms  mark.js/ours');
  for (const r of rows) {
    console.log(
      `${r.page.padEnd(26)}${pad(r.chars, 9)}${pad(r.mentions, 10)}${pad(f1(r.floorMs), 10)}${pad(f1(r.oursMs), 9)}${pad(f1(r.oursMs / r.floorMs), 12)}${pad(f1(r.longestSliceMs), 15)}${pad(f1(r.markjsMs), 12)}${pad(r.markjsMs === null ? '—' : f1(r.markjsMs / r.oursMs), 14)}`,
    );
  }
  const real = rows.filter((r) => pages.real.includes(r.page));
  const oursSlope = slope(rows, (r) => r.oursMs);
  const floorSlope = slope(rows, (r) => r.floorMs);
  if (real.length)
    console.log(
      `median ours/floor, real pages: ${f1(median(real.map((r) => r.oursMs / r.floorMs)))}; median mark.js/ours: ${f1(median(real.map((r) => r.markjsMs! / r.oursMs)))}`,
    );
  console.log(`slope on generated pages: ours ${f1(oursSlope)} ms/MB, floor ${f1(floorSlope)} ms/MB: ${f1(oursSlope / floorSlope)}× the floor (target ≤ 3)`);
  console.log(`longest slice anywhere: ${f1(Math.max(...rows.map((r) => r.longestSliceMs)))} ms (target < 50)`);
}

if (only.has('inside')) {
  const rows = await insideRows('chromium');
  printInside('Chromium', rows);
  results.insideChromium = rows;
}
if (only.has('firefox')) {
  const rows = await insideRows('firefox');
  printInside('Firefox', rows);
  results.insideFirefox = rows;
  // The page of 30 frames, from outside: Firefox under its own profiler, with the release build and without it.
  const withRuns: GeckoAttribution[] = [];
  const withoutRuns: GeckoAttribution[] = [];
  for (let i = 0; i < RUNS; i++) {
    withRuns.push(await geckoLoad(firefoxExtensionDir, url(pages.frames), 4000));
    withoutRuns.push(await geckoLoad(null, url(pages.frames), 4000));
  }
  const mid = (runs: GeckoAttribution[], pick: (a: GeckoAttribution) => number) => median(runs.map(pick));
  const ours = mid(withRuns, (a) => a.oursMs);
  console.log(
    `[frames firefox] a page with 30 small cross-origin frames (Gecko profiler, CPU time, median of ${RUNS}): the page's processes busy ${f1(mid(withRuns, (a) => a.busyMs))} ms with us, ${f1(mid(withoutRuns, (a) => a.busyMs))} ms without; ours ${f1(ours)} ms (${f1(ours / 31)} ms per document), Firefox's content-script loader ${f1(mid(withRuns, (a) => a.loaderMs))} ms (${f1(mid(withoutRuns, (a) => a.loaderMs))} ms without us, for its own add-ons)`,
  );
  results.framesFirefox = { with: withRuns, without: withoutRuns };
}

// ── Outside ───────────────────────────────────────────────────────────────
if (only.has('outside') || only.has('scenarios')) {
  const ext = await launchOutside(extensionDir);
  const plain = await launchOutside(null);
  // What a content script that only reads the page's text costs: the floor under our overhead.
  const referenceDir = writeReferenceExtension();
  const reference = only.has('outside') ? await launchOutside(referenceDir) : null;
  try {
    if (only.has('outside')) {
      const rows: OutsideRow[] = [];
      const alsoOutside = [...pages.shapes, ...pages.extreme].map((e) => e.file).filter((f) => pageFilter.test(f));
      for (const file of [...allPages, ...alsoOutside]) {
        const mb = [...pages.generated, ...pages.shapes, ...pages.extreme].find((g) => g.file === file)?.mb ?? 1;
        const row = await outsideRow(
          ext,
          plain,
          url(file),
          file,
          markjsFor(file) ? { url: url('markjs-runner.js') } : null,
          30_000 + mb * 10_000,
          500 + mb * 500,
          // Single loads vary by tens of percent on a small machine; the 4 and 16 MB pages take minutes.
          mb > 1 ? 1 : RUNS,
          true,
          reference,
        );
        rows.push(row);
        console.log(
          `[outside] ${file}: ours ${f1(row.ours.profileMs)} ms (profile; timeline ${f1(row.ours.timelineMs)}, GC ${f1(row.ours.gcMs)}), longest task with ours ${f1(row.ours.longestTaskMs)} ms (ours in it up to ${f1(row.ours.longestOursInTaskMs)} ms; long because of us: ${row.ours.longTasksOfOurs}; ${longTasksLine(row.ours)}), page's own ${f1(row.pageMs)} ms, overhead ${f1(row.overheadPct)} %, mark.js ${f1(row.markjsMs)} ms, reference reader ${f1(row.referenceMs)} ms`,
        );
      }
      console.log('\nOutside (Chromium, release build): main-thread time attributed from a trace');
      console.log(
        'page                              ours ms  timeline ms  GC ms  longest task  ours in a task  tasks>50ms  of them ours  w/o GC, CPU  page own ms  overhead %  mark.js ms  mark.js/ours  reader ms  reader %  ours/reader',
      );
      for (const r of rows) {
        console.log(
          `${r.page.padEnd(32)}${pad(f1(r.ours.profileMs), 9)}${pad(f1(r.ours.timelineMs), 13)}${pad(f1(r.ours.gcMs), 7)}${pad(f1(r.ours.longestTaskMs), 14)}${pad(f1(r.ours.longestOursInTaskMs), 16)}${pad(r.ours.longTasks, 12)}${pad(r.ours.longTasksOfOurs, 14)}${pad(r.ours.longTasksBeyondGc, 13)}${pad(f1(r.pageMs), 13)}${pad(f1(r.overheadPct), 12)}${pad(f1(r.markjsMs), 12)}${pad(r.markjsMs === null ? '—' : f1(r.markjsMs / r.ours.profileMs), 14)}${referenceColumns(r)}`,
        );
      }
      const real = rows.filter((r) => pages.real.includes(r.page));
      if (real.length) {
        console.log(
          `median overhead, real pages: ${f1(median(real.map((r) => r.overheadPct)))} % (target ≤ 3 %); median mark.js/ours: ${f1(median(real.map((r) => r.markjsMs! / r.ours.profileMs)))} (target ≥ 10)`,
        );
        console.log(
          `the reference reader (a content script that only reads the text), real pages: median overhead ${f1(median(real.map((r) => referencePct(r))))} %, ours ÷ reader median ${f1(median(real.map((r) => r.ours.profileMs / r.referenceMs!)))}×`,
        );
      }
      // The slope from outside: all of our work as the extension, per MB of generated page, against the floor read in both worlds.
      const generated = pages.generated.filter((g) => rows.some((r) => r.page === g.file));
      if (generated.length > 1) {
        const floors: { mb: number; ours: number; main: number; isolated: number; mainPause: number; isolatedPause: number; oursLongest: number }[] = [];
        for (const g of generated) {
          const reads = [];
          for (let i = 0; i < RUNS; i++) reads.push(await floorReads(plain, url(g.file)));
          const row = rows.find((r) => r.page === g.file)!.ours;
          const floor = {
            mb: g.mb,
            ours: row.profileMs,
            main: median(reads.map((r) => r.mainMs)),
            isolated: median(reads.map((r) => r.isolatedMs)),
            mainPause: median(reads.map((r) => r.mainPauseMs)),
            isolatedPause: median(reads.map((r) => r.isolatedPauseMs)),
            oursLongest: row.longestTaskMs,
          };
          floors.push(floor);
          console.log(
            `[outside] ${g.file}: floor read ${f1(floor.main)} ms in the page's world (longest step ${f1(floor.mainPause)} ms), ${f1(floor.isolated)} ms in an isolated world (longest step ${f1(floor.isolatedPause)} ms); ours ${f1(floor.ours)} ms, longest task with ours ${f1(floor.oursLongest)} ms`,
          );
        }
        const fit = (pick: (f: (typeof floors)[number]) => number) => leastSquares(floors.map((f) => ({ x: f.mb, y: pick(f) })));
        const [ours, main, isolated] = [fit((f) => f.ours), fit((f) => f.main), fit((f) => f.isolated)];
        console.log(
          `slope from outside on generated pages: ours ${f1(ours)} ms/MB; floor ${f1(main)} ms/MB in the page's world (${f1(ours / main)}×, target ≤ 3), ${f1(isolated)} ms/MB in an isolated world, where a content script reads (${f1(ours / isolated)}×)`,
        );
        results.outsideSlope = { floors, oursPerMb: ours, floorPerMb: main, isolatedFloorPerMb: isolated };
      }
      console.log(`longest task containing our work, any page: ${f1(Math.max(...rows.map((r) => r.ours.longestTaskMs)))} ms (target < 50)`);
      console.log(
        `most of our work in one task, any page: ${f1(Math.max(...rows.map((r) => r.ours.longestOursInTaskMs)))} ms; tasks over 50 ms that our work made long: ${rows.reduce((n, r) => n + r.ours.longTasksOfOurs, 0)}; tasks over 50 ms with our work that stay over 50 ms without the collector's pauses and time off the CPU: ${rows.reduce((n, r) => n + r.ours.longTasksBeyondGc, 0)}`,
      );
      results.outside = rows;

      // The same pages as saved: what a page that never mentions the topics costs (most of them hold no term at all).
      const saved: OutsideRow[] = [];
      for (const file of pages.asSaved.filter((f) => pageFilter.test(f))) {
        const row = await outsideRow(ext, plain, url(file), file, null, 30_000, 1000, RUNS, false, reference);
        saved.push(row);
        console.log(
          `[outside] ${file}: ours ${f1(row.ours.profileMs)} ms, longest task with ours ${f1(row.ours.longestTaskMs)} ms (ours in it up to ${f1(row.ours.longestOursInTaskMs)} ms), page's own ${f1(row.pageMs)} ms, overhead ${f1(row.overheadPct)} %, reference reader ${f1(row.referenceMs)} ms`,
        );
      }
      if (saved.length) {
        console.log('\nOutside, the real pages as saved (none of our topic text)');
        console.log('page                              ours ms  longest task  ours in a task  page own ms  overhead %  reader ms  reader %  ours/reader');
        for (const r of saved)
          console.log(
            `${r.page.padEnd(32)}${pad(f1(r.ours.profileMs), 9)}${pad(f1(r.ours.longestTaskMs), 14)}${pad(f1(r.ours.longestOursInTaskMs), 16)}${pad(f1(r.pageMs), 13)}${pad(f1(r.overheadPct), 12)}${referenceColumns(r)}`,
          );
        console.log(
          `median overhead, pages as saved: ${f1(median(saved.map((r) => r.overheadPct)))} %; the reference reader's: ${f1(median(saved.map((r) => referencePct(r))))} %, ours ÷ reader median ${f1(median(saved.map((r) => r.ours.profileMs / r.referenceMs!)))}×`,
        );
        results.outsideAsSaved = saved;
      }
    }

    if (only.has('scenarios')) {
      const big = url(pages.generated.at(-1)!.file);
      const idle = await idleWindow(ext, big, IDLE_MS);
      console.log(
        `\n[idle] ${IDLE_MS / 1000} s on the 16 MB page after it settled: ours ${f1(idle.profileMs)} ms, longest task with ours ${f1(idle.longestTaskMs)} ms (ours in it up to ${f1(idle.longestOursInTaskMs)} ms), tasks>50ms ${idle.longTasks} (of them ours ${idle.longTasksOfOurs}; ${longTasksLine(idle)})`,
      );
      // The same append on a capped page with light layout, where the page's own rendering of it takes little.
      const manyMentions = url(pages.extreme.find((e) => e.file.includes('many-mentions'))!.file);
      const appends: Record<string, { with: AppendFigures; without: AppendFigures }> = {};
      for (const [label, page] of [
        ['the capped 16 MB page', big],
        ['the capped page of over 10,000 mentions', manyMentions],
      ] as const) {
        const append = await appendWhereReading(ext, page);
        console.log(
          `[append] a paragraph appended where the reader is looking on ${label}: highlighted after ${append.paintedAfterMs ?? 'never'} ms (the check waits for the page's tasks); ours ${f1(append.attribution.profileMs)} ms, longest task with ours ${f1(append.attribution.longestTaskMs)} ms (ours in it up to ${f1(append.attribution.longestOursInTaskMs)} ms)`,
        );
        const a = append.after;
        console.log(
          `[append] after the append: the page's own tasks ran ${f1(a.pageBusyBeforeMs)} ms (its rendering of the new paragraph) before our first task, which began at ${a.firstOursMs === null ? 'never' : `${f1(a.firstOursMs)} ms`}; the longest rendering task after ours, with no script, took ${f1(a.longestAfterMs)} ms`,
        );
        // The same append without the extension: the page's own rendering of it, for comparison.
        const without = await appendWhereReading(plain, page, 3000);
        console.log(`[append] without the extension, the page's own tasks after the same append: ${f1(without.after.pageBusyBeforeMs)} ms`);
        appends[label] = { with: append, without };
      }
      const framesWith = await traceLoad(ext, url(pages.frames), { maxMs: 5000, extraMs: 2000 });
      const framesWithout = await traceLoad(plain, url(pages.frames), { extraMs: 3000 });
      const perFrame = (a: Attribution) => a.profileMs / 31;
      console.log(
        `[frames] a page with 30 small cross-origin frames: main thread ${f1(framesWith.attribution.mainThreadMs)} ms with us, ${f1(framesWithout.attribution.mainThreadMs)} ms without; ours ${f1(framesWith.attribution.profileMs)} ms in ${framesWith.attribution.threads} renderer threads (${f1(perFrame(framesWith.attribution))} ms per document), compile ${f1(framesWith.attribution.compileMs)} ms`,
      );
      results.scenarios = { idle, appends, frames: { with: framesWith.attribution, without: framesWithout.attribution } };
    }
  } finally {
    await ext.close();
    await plain.close();
    await reference?.close();
    rmSync(referenceDir, { recursive: true, force: true });
  }
}

if (only.has('scenarios')) {
  // Infinite scroll, inside: 720 rounds of 20 items (an hour at one screenful every 5 s), keeping 200 on the page.
  const browser = await launchInside('chromium');
  const tab = await browser.newTab();
  await tab.goto(url(pages.generated[0]!.file));
  await tab.run(pageScript);
  await tab.run('window.__cpBench.ours()');
  const para = readFileSync(join(root, 'tests/fixtures/demo-article.html'), 'utf8').match(/<p>([^<]{80,})<\/p>/)![1]!;
  const rounds = Number(process.env.BENCH_SCROLL_ROUNDS ?? 720);
  const scroll = await tab.run<{ busyMsPerRound: number[]; longestMs: number; mentions: number; heapMb: number | null }>(
    `window.__cpBench.scroll(${rounds}, ${JSON.stringify(para)})`,
  );
  await browser.close();
  const early = median(scroll.busyMsPerRound.slice(10, 60));
  const late = median(scroll.busyMsPerRound.slice(-50));
  console.log(
    `\n[scroll] ${rounds} rounds: busy per round early ${f1(early)} ms, late ${f1(late)} ms, longest slice ${f1(scroll.longestMs)} ms, ${scroll.mentions} mentions kept, heap ${f1(scroll.heapMb)} MB`,
  );

  const matcher = benchmarkMatcher();
  console.log(
    `[matcher] 1 MB of text: 10 terms ${f1(matcher.tenTermsMs)} ms, 5,000 terms ${f1(matcher.fiveThousandTermsMs)} ms (×${matcher.ratio.toFixed(2)})`,
  );
  const popup = await benchPopup(root, CHROMIUM_PATH);
  console.log(
    `[popup] a page with ${popup.mentions} mentions: summary shown at ${popup.firstContentMs.toFixed(0)} ms, document loaded at ${popup.domLoadedMs.toFixed(0)} ms (median of ${popup.runs - 1} warm opens)`,
  );

  const sizes = Object.fromEntries(
    // What a frame below the top evaluates (frame.js); what the top frame and a frame with text add (sheet.js, whose code content.js reads, then content.js); and the card.
    ['frame.js', 'sheet.js', 'content-scripts/content.js', 'card.js']
      .filter((f) => existsSync(join(extensionDir, f)))
      .map((f) => {
        const text = readFileSync(join(extensionDir, f));
        return [f, { bytes: text.length, gzip: gzipSync(text, { level: 9 }).length }];
      }),
  );
  for (const [f, s] of Object.entries(sizes)) console.log(`[size] ${f}: ${(s.bytes / 1024).toFixed(1)} kB, ${(s.gzip / 1024).toFixed(1)} kB gzip`);
  Object.assign(results, {
    scroll: { rounds, early, late, longestMs: scroll.longestMs, mentions: scroll.mentions, heapMb: scroll.heapMb },
    matcher,
    popup,
    sizes,
  });
}

await server.close();
rmSync(pages.dir, { recursive: true, force: true });
writeFileSync(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwritten to ${join(out, 'results.json')}`);
