/**
 * Outside measurement in Firefox: the Gecko profiler, started with the
 * browser (MOZ_PROFILER_STARTUP) and written out when it quits, samples the
 * main thread of every process once a millisecond with its JavaScript
 * frames. Work is ours when a sample's stack holds a frame of our scripts
 * (`moz-extension://`); the content-script loader of Firefox itself, which
 * compiles and runs our script in each frame on our behalf, is counted apart.
 *
 * Only web content processes are read: they hold the page and its frames and
 * nothing else of the run (the extension's own pages live in another process).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer from 'puppeteer-core';
import { firefoxLaunch } from './inside';

/** What one profiled load shows in the page's processes. */
export interface GeckoAttribution {
  /** Non-idle main-thread time in the page's processes (ms). */
  busyMs: number;
  /** Of it, samples with a frame of our scripts on the stack (ms). */
  oursMs: number;
  /** Of it, Firefox's content-script loader at work for us, outside our frames (ms). */
  loaderMs: number;
  /** Garbage collection inside our samples (ms). */
  gcMs: number;
  /** Web content processes with any of our samples. */
  processes: number;
  /** Per web content process with any of our samples, in the order of the profile: its busy time and ours (ms). */
  perProcess: { busyMs: number; oursMs: number }[];
}

export interface GeckoThread {
  name: string;
  processName?: string;
  samples: { schema: Record<string, number>; data: unknown[][] };
  stackTable: { schema: Record<string, number>; data: (number | null)[][] };
  frameTable: { schema: Record<string, number>; data: (number | string | boolean | null)[][] };
  stringTable: string[];
}

export interface GeckoProfile {
  meta: { categories?: { name: string }[]; sampleUnits?: { threadCPUDelta?: string } };
  threads: GeckoThread[];
  processes?: GeckoProfile[];
}

/** The content-script loader's frames: Firefox's own code, loading and running content scripts. */
const LOADER = /ExtensionContent|extensionProcessScript|ExtensionChild|ExtensionCommon/;

/** Attributes the samples of a Gecko profile (the raw format the profiler writes on shutdown). */
export function attributeGecko(profile: GeckoProfile, extensionPrefix: string): GeckoAttribution {
  const result: GeckoAttribution = { busyMs: 0, oursMs: 0, loaderMs: 0, gcMs: 0, processes: 0, perProcess: [] };
  const visit = (p: GeckoProfile) => {
    const categories = (p.meta.categories ?? []).map((c) => c.name);
    const cpuScale = CPU_UNITS[p.meta.sampleUnits?.threadCPUDelta ?? ''] ?? null;
    for (const thread of p.threads) {
      if (thread.name !== 'GeckoMain' || !/Web Content/.test(thread.processName ?? '')) continue;
      const before = { busyMs: result.busyMs, oursMs: result.oursMs };
      if (attributeThread(thread, categories, cpuScale, extensionPrefix, result)) {
        result.processes++;
        result.perProcess.push({ busyMs: result.busyMs - before.busyMs, oursMs: result.oursMs - before.oursMs });
      }
    }
    for (const child of p.processes ?? []) visit(child);
  };
  visit(profile);
  return result;
}

/** Milliseconds per unit of a sample's CPU delta. */
const CPU_UNITS: Record<string, number> = { ns: 1e-6, µs: 1e-3, us: 1e-3, ms: 1 };

/**
 * Each sample weighs the CPU time its thread used since the sample before
 * (the `cpu` feature), so a thread that waits weighs nothing whatever its
 * stack says; without CPU deltas, the time to the next sample, at most 2 ms.
 */
function attributeThread(thread: GeckoThread, categories: string[], cpuScale: number | null, prefix: string, out: GeckoAttribution): boolean {
  const { samples, stackTable, frameTable, stringTable } = thread;
  const sStack = samples.schema.stack!;
  const sTime = samples.schema.time!;
  const sCpu = samples.schema.threadCPUDelta;
  const kPrefix = stackTable.schema.prefix!;
  const kFrame = stackTable.schema.frame!;
  const fLocation = frameTable.schema.location!;
  const fCategory = frameTable.schema.category!;
  const idle = categories.indexOf('Idle');
  const gc = categories.indexOf('GC / CC');
  // Per stack: is it ours, or the loader's (with no frame of ours above it).
  const kind = new Map<number, number>();
  const kindOf = (stack: number): number => {
    const known = kind.get(stack);
    if (known !== undefined) return known;
    const row = stackTable.data[stack]!;
    const frame = frameTable.data[row[kFrame] as number]!;
    const location = stringTable[frame[fLocation] as number] ?? '';
    const parent = row[kPrefix] === null ? 0 : kindOf(row[kPrefix] as number);
    // 2: ours; 1: the loader's; 0: neither.
    const k = location.includes(prefix) ? 2 : parent === 2 ? 2 : LOADER.test(location) || parent === 1 ? 1 : 0;
    kind.set(stack, k);
    return k;
  };
  const category = (stack: number) => frameTable.data[stackTable.data[stack]![kFrame] as number]![fCategory] as number;
  let any = false;
  const data = samples.data;
  const byCpu = cpuScale !== null && sCpu !== undefined;
  for (let i = 1; i < data.length; i++) {
    const stack = data[i]![sStack] as number | null;
    if (stack === null || stack === undefined) continue;
    const ms = byCpu
      ? ((data[i]![sCpu] as number | null) ?? 0) * cpuScale
      : Math.min(Math.max((data[i]![sTime] as number) - (data[i - 1]![sTime] as number), 0), 2);
    const cat = category(stack);
    if (cat === idle || ms <= 0) continue;
    out.busyMs += ms;
    const k = kindOf(stack);
    if (k === 2) {
      out.oursMs += ms;
      if (cat === gc) out.gcMs += ms;
      any = true;
    } else if (k === 1) out.loaderMs += ms;
  }
  return any;
}

/**
 * Loads `url` in a Firefox started under the profiler, with the extension in
 * `extensionDir` installed (or none), waits `settleMs`, quits, and attributes
 * what the profile holds for the page's processes.
 */
export async function geckoLoad(extensionDir: string | null, url: string, settleMs: number): Promise<GeckoAttribution> {
  const dir = mkdtempSync(join(tmpdir(), 'cp-bench-gecko-'));
  const out = join(dir, 'profile.json');
  const browser = await puppeteer.launch(
    firefoxLaunch(
      join(dir, 'profile'),
      // The add-on id comes from the build's own manifest, so the fixed UUID follows it.
      extensionDir ? { 'extensions.webextensions.uuids': JSON.stringify({ [geckoId(extensionDir)]: BENCH_UUID }) } : {},
      {
        ...process.env,
        MOZ_PROFILER_STARTUP: '1',
        MOZ_PROFILER_STARTUP_INTERVAL: '1',
        MOZ_PROFILER_STARTUP_ENTRIES: '16777216',
        MOZ_PROFILER_STARTUP_FEATURES: 'js,cpu',
        MOZ_PROFILER_STARTUP_FILTERS: 'GeckoMain',
        MOZ_PROFILER_SHUTDOWN: out,
      },
    ),
  );
  try {
    if (extensionDir) await browser.installExtension(resolve(extensionDir));
    // Let the extension start (its background publishes the term index) before the page loads.
    await new Promise((r) => setTimeout(r, 2000));
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
    await new Promise((r) => setTimeout(r, settleMs));
  } finally {
    await browser.close();
  }
  // The profile is written as Firefox quits; give it a moment.
  for (let i = 0; i < 50 && !existsSync(out); i++) await new Promise((r) => setTimeout(r, 200));
  try {
    if (!existsSync(out)) throw new Error('Firefox wrote no profile: is its Gecko profiler built in?');
    return attributeGecko(JSON.parse(readFileSync(out, 'utf8')) as GeckoProfile, `moz-extension://${BENCH_UUID}/`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The add-on id a Firefox build declares (browser_specific_settings.gecko.id). */
function geckoId(extensionDir: string): string {
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')) as { browser_specific_settings?: { gecko?: { id?: string } } };
  const id = manifest.browser_specific_settings?.gecko?.id;
  if (!id) throw new Error(`${extensionDir} is not a Firefox build: its manifest names no gecko id`);
  return id;
}

/** The extension's internal UUID in the benchmark's Firefox, fixed so its script URLs are known. */
const BENCH_UUID = 'b3c1a7e2-5d4f-4c8b-9a61-0e2f7d9c4b10';
