/**
 * Measuring from outside the page: a Chromium trace of every renderer's main
 * thread, with the V8 sampling profiler recorded into it, attributed to a
 * script by URL.
 *
 * A slice timed with `performance.now()` inside our code misses script
 * compile, garbage collection, and the style and layout our calls force; a
 * trace sees all of it. Two attributions are kept side by side:
 *
 * - profile: every CPU sample whose JS stack holds a frame of the script
 *   (native work called from it, such as a forced layout, lands on its frame);
 *   samples of the garbage collector inside a task that ran the script are
 *   counted too. Per-call costs are not inflated.
 * - timeline: the trace's own events that name the script (compile, evaluate,
 *   function calls, timers), with everything nested in them. Tracing adds a
 *   cost per call, so this overstates code that makes many short calls.
 *
 * Tasks are the top-level events of each renderer main thread; a task
 * "contains" the script when one of its samples or events falls inside it.
 */
import type { CDPSession } from 'playwright-core';

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of a complete event: below `dur` when the thread waited for a core. */
  tdur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: {
    name?: string;
    data?: {
      url?: string;
      startTime?: number;
      cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
      timeDeltas?: number[];
    };
  };
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { url?: string; functionName?: string };
}

/** True for a profile node whose stack, from it up, holds a frame of a script under `prefix`. */
function ownedBy(nodes: ReadonlyMap<number, ProfileNode>, prefix: string): (id: number) => boolean {
  const known = new Map<number, boolean>();
  const mine = (id: number): boolean => {
    let result = known.get(id);
    if (result === undefined) {
      const node = nodes.get(id);
      result = !!node && (!!node.callFrame.url?.startsWith(prefix) || (node.parent !== undefined && mine(node.parent)));
      known.set(id, result);
    }
    return result;
  };
  return mine;
}

/** A sample's time: the gap to the next one, at most 2 ms (a longer gap is the profiler's, not the code's). */
const sampleUs = (next: number | undefined) => Math.min(Math.max(next ?? 0, 0), 2000);

export const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'v8.execute',
  'disabled-by-default-v8.cpu_profiler',
  'disabled-by-default-v8.gc',
];

/** Records a trace around `run` through a page's CDP session. */
export async function recordTrace(cdp: CDPSession, run: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  const onData = (e: { value: object[] }) => void events.push(...(e.value as TraceEvent[]));
  cdp.on('Tracing.dataCollected', onData);
  const complete = new Promise<void>((done) => cdp.once('Tracing.tracingComplete', () => done()));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: TRACE_CATEGORIES, recordMode: 'recordAsMuchAsPossible' },
  });
  try {
    await run();
  } finally {
    await cdp.send('Tracing.end');
    await complete;
    cdp.off('Tracing.dataCollected', onData);
  }
  return events;
}

export interface Attribution {
  /** Main-thread time attributed to the script by the sampling profiler (ms). */
  profileMs: number;
  /** Of which garbage collection in tasks that ran the script (ms). */
  gcMs: number;
  /** Main-thread time of trace events naming the script, nested work included (ms). */
  timelineMs: number;
  /** The longest top-level task that contains work of the script (ms). */
  longestTaskMs: number;
  /** Tasks over 50 ms that contain work of the script. */
  longTasks: number;
  /**
   * The most time the script took inside one task, by profile samples (ms).
   * A task holding our work may be the page's own: a MutationObserver
   * callback runs at the end of the page task that changed the DOM.
   */
  longestOursInTaskMs: number;
  /** Tasks over 50 ms that would not be without our work in them (task minus ours ≤ 50 ms). */
  longTasksOfOurs: number;
  /**
   * In the tasks over 50 ms that contain our work: the garbage collector's
   * pauses (ms), and the time the thread was off the CPU, waiting for a core
   * (task time minus thread time, ms). The collector's pauses are set by the
   * whole heap, the page's DOM with it; a 2-core machine takes the thread
   * away now and then. Our samples count either (a pause lands on the frame
   * that ran into it), so `longTasksOfOurs` alone cannot tell them apart.
   */
  longTaskGcMs: number;
  longTaskOffCpuMs: number;
  /** Tasks over 50 ms with our work that stay over 50 ms once their GC pauses and time off the CPU are taken out. */
  longTasksBeyondGc: number;
  /** All top-level task time on renderer main threads in the trace (ms). */
  mainThreadMs: number;
  /** Compiling the script (trace events `v8.compile` naming it), in every renderer (ms). */
  compileMs: number;
  /** Renderer main threads in which the script did any work. */
  threads: number;
  samples: number;
}

const SCRIPT_EVENTS = new Set([
  'EvaluateScript',
  'v8.compile',
  'v8.compileModule',
  'FunctionCall',
  'TimerFire',
  'FireAnimationFrame',
  'v8.callFunction',
  'v8.run',
]);

/** The garbage collector's pauses on the main thread (a major GC's atomic pause, a scavenge, an incremental marking step). */
const GC_EVENTS = new Set(['MajorGC', 'MinorGC', 'V8.GCIncrementalMarking']);

/** The top-level tasks of each renderer main thread in the trace `attribute` read last, and those that ran the script. */
let lastTasks: { tasks: Map<string, TraceEvent[]>; ours: Set<TraceEvent> } | null = null;

/** Attributes a trace's main-thread work to the scripts whose URL starts with `prefix`. */
export function attribute(events: TraceEvent[], prefix: string): Attribution {
  const mainThreads = new Set<string>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') mainThreads.add(`${e.pid}:${e.tid}`);
  }
  const onMain = (e: TraceEvent) => mainThreads.has(`${e.pid}:${e.tid}`);

  // Top-level tasks per thread, sorted by start.
  const tasks = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || !onMain(e) || !e.cat.split(',').includes('toplevel') || !e.dur) continue;
    const key = `${e.pid}:${e.tid}`;
    (tasks.get(key) ?? tasks.set(key, []).get(key)!).push(e);
  }
  for (const list of tasks.values()) list.sort((a, b) => a.ts - b.ts);
  // Nested top-level events (a task inside a task) count once: keep the outermost.
  for (const [key, list] of tasks) {
    const outer: TraceEvent[] = [];
    for (const t of list) {
      const last = outer[outer.length - 1];
      if (last && t.ts < last.ts + last.dur!) continue;
      outer.push(t);
    }
    tasks.set(key, outer);
  }
  const taskAt = (key: string, ts: number): TraceEvent | undefined => {
    const list = tasks.get(key);
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = list[mid]!;
      if (ts < t.ts) hi = mid - 1;
      else if (ts > t.ts + t.dur!) lo = mid + 1;
      else return t;
    }
    return undefined;
  };
  const ours = new Set<TraceEvent>();
  /** Profile time of ours per task (µs). */
  const oursIn = new Map<TraceEvent, number>();

  // Timeline attribution: outermost events naming the script.
  let timelineUs = 0;
  const named = events
    .filter((e) => e.ph === 'X' && e.dur && onMain(e) && SCRIPT_EVENTS.has(e.name) && e.args?.data?.url?.startsWith(prefix))
    .sort((a, b) => a.ts - b.ts);
  let reach = -Infinity;
  for (const e of named) {
    const key = `${e.pid}:${e.tid}`;
    const task = taskAt(key, e.ts);
    if (task) ours.add(task);
    if (e.ts >= reach) {
      timelineUs += e.dur!;
      reach = e.ts + e.dur!;
    } else if (e.ts + e.dur! > reach) {
      timelineUs += e.ts + e.dur! - reach;
      reach = e.ts + e.dur!;
    }
  }

  // Profile attribution.
  const profiles = new Map<string, { key: string; start: number; nodes: Map<number, ProfileNode>; samples: number[]; deltas: number[] }>();
  for (const e of events) {
    if (e.name === 'Profile' && e.id) {
      profiles.set(`${e.pid}:${e.id}`, { key: `${e.pid}:${e.tid}`, start: e.args?.data?.startTime ?? e.ts, nodes: new Map(), samples: [], deltas: [] });
    }
  }
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || !e.id) continue;
    const p = profiles.get(`${e.pid}:${e.id}`);
    if (!p) continue;
    for (const n of e.args?.data?.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n);
    p.samples.push(...(e.args?.data?.cpuProfile?.samples ?? []));
    p.deltas.push(...(e.args?.data?.timeDeltas ?? []));
  }
  let profileUs = 0;
  let gcUs = 0;
  let samples = 0;
  const gcSamples: { key: string; ts: number; us: number }[] = [];
  for (const p of profiles.values()) {
    if (!mainThreads.has(p.key)) continue;
    const mine = ownedBy(p.nodes, prefix);
    let t = p.start;
    for (let i = 0; i < p.samples.length; i++) {
      t += p.deltas[i] ?? 0;
      const us = sampleUs(p.deltas[i + 1]);
      const id = p.samples[i]!;
      if (mine(id)) {
        profileUs += us;
        samples++;
        const task = taskAt(p.key, t);
        if (task) {
          ours.add(task);
          oursIn.set(task, (oursIn.get(task) ?? 0) + us);
        }
      } else if (p.nodes.get(id)?.callFrame.functionName === '(garbage collector)') {
        gcSamples.push({ key: p.key, ts: t, us });
      }
    }
  }
  for (const g of gcSamples) {
    const task = taskAt(g.key, g.ts);
    if (task && ours.has(task)) gcUs += g.us;
  }
  lastTasks = { tasks, ours };

  // The collector's pauses inside each task (outermost events only: a major GC holds its phases).
  const gcIn = new Map<TraceEvent, number>();
  const gcReach = new Map<TraceEvent, number>();
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur || !GC_EVENTS.has(e.name) || !onMain(e)) continue;
    const task = taskAt(`${e.pid}:${e.tid}`, e.ts);
    if (!task || !ours.has(task) || e.ts < (gcReach.get(task) ?? -Infinity)) continue;
    gcIn.set(task, (gcIn.get(task) ?? 0) + e.dur);
    gcReach.set(task, e.ts + e.dur);
  }

  let mainUs = 0;
  for (const list of tasks.values()) for (const t of list) mainUs += t.dur!;
  let compileUs = 0;
  for (const e of named) if (e.name === 'v8.compile' || e.name === 'v8.compileModule') compileUs += e.dur!;
  const threads = new Set([...ours].map((t) => `${t.pid}:${t.tid}`)).size;
  // Starting the sampling profiler stalls the first script to run after the
  // trace starts (tens of ms): an artefact of measuring, taken out of task lengths.
  const artefacts = events.filter((e) => e.ph === 'X' && e.name === 'CpuProfiler::StartProfiling' && e.dur && onMain(e));
  const length = (t: TraceEvent) =>
    t.dur! - artefacts.filter((a) => a.pid === t.pid && a.tid === t.tid && a.ts >= t.ts && a.ts < t.ts + t.dur!).reduce((n, a) => n + a.dur!, 0);
  let longest = 0;
  let longTasks = 0;
  let longestOurs = 0;
  let longTasksOfOurs = 0;
  let longGcUs = 0;
  let longOffCpuUs = 0;
  let longTasksBeyondGc = 0;
  for (const t of ours) {
    const dur = length(t);
    const mine = Math.min(oursIn.get(t) ?? 0, dur);
    longest = Math.max(longest, dur);
    longestOurs = Math.max(longestOurs, mine);
    if (dur > 50_000) {
      longTasks++;
      if (dur - mine <= 50_000) longTasksOfOurs++;
      const gc = gcIn.get(t) ?? 0;
      const off = t.tdur === undefined ? 0 : Math.max(0, t.dur! - t.tdur);
      longGcUs += gc;
      longOffCpuUs += off;
      // The two can overlap (a pause while the thread waited): never take out more than the task.
      if (dur - Math.min(dur, gc + off) > 50_000) longTasksBeyondGc++;
    }
  }
  return {
    profileMs: (profileUs + gcUs) / 1000,
    gcMs: gcUs / 1000,
    timelineMs: timelineUs / 1000,
    longestTaskMs: longest / 1000,
    longTasks,
    longestOursInTaskMs: longestOurs / 1000,
    longTasksOfOurs,
    longTaskGcMs: longGcUs / 1000,
    longTaskOffCpuMs: longOffCpuUs / 1000,
    longTasksBeyondGc,
    mainThreadMs: mainUs / 1000,
    compileMs: compileUs / 1000,
    threads,
    samples,
  };
}

/** A CPU profile as the Profiler domain returns it. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { url: string }; children?: number[] }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Time of a CPU profile's samples whose JS stack holds a frame of a script under `prefix` (ms). */
export function profileTimeOf(profile: CpuProfile, prefix: string): number {
  // The Profiler domain names each node's children; a trace's chunks name its parent.
  const nodes = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, { id: n.id, callFrame: n.callFrame }]));
  for (const n of profile.nodes) for (const c of n.children ?? []) nodes.get(c)!.parent = n.id;
  const mine = ownedBy(nodes, prefix);
  const samples = profile.samples ?? [];
  let us = 0;
  // A sample's time is the whole gap to the next one: the quiet check would rather wait than stop early.
  for (let i = 0; i < samples.length; i++) if (mine(samples[i]!)) us += Math.max(0, profile.timeDeltas?.[i + 1] ?? 0);
  return us / 1000;
}

export interface AfterMark {
  /** From the mark to the start of the first task that ran the script (ms). */
  firstOursMs: number | null;
  /** Of that wait, the page's own tasks (its rendering of what changed) (ms). */
  pageBusyBeforeMs: number;
  /** The longest task without the script that came after its first task: the browser repainting what the script changed (ms). */
  longestAfterMs: number;
}

/**
 * What happened on the main thread after a `console.timeStamp(mark)` in the
 * page: how long the page's own tasks kept the script waiting, and how long
 * the rendering after its work took. A rendering task runs no script, so
 * `attribute` never counts it; a highlight change still causes it.
 */
export function afterMark(events: TraceEvent[], prefix: string, mark: string, windowMs = 3000): AfterMark {
  attribute(events, prefix);
  const at = events.find((e) => e.name === 'TimeStamp' && (e.args?.data as { message?: string } | undefined)?.message === mark);
  const result: AfterMark = { firstOursMs: null, pageBusyBeforeMs: 0, longestAfterMs: 0 };
  if (!at || !lastTasks) return result;
  const list = lastTasks.tasks.get(`${at.pid}:${at.tid}`) ?? [];
  const end = at.ts + windowMs * 1000;
  let first: number | null = null;
  for (const t of list) {
    // The task that ran the mark is the test's (our mutation observer's
    // callback runs at its end, and only queues work).
    if (t.ts <= at.ts || t.ts > end) continue;
    const mine = lastTasks.ours.has(t);
    if (first === null) {
      if (mine) first = t.ts;
      else result.pageBusyBeforeMs += t.dur! / 1000;
    } else if (!mine) result.longestAfterMs = Math.max(result.longestAfterMs, t.dur! / 1000);
  }
  result.firstOursMs = first === null ? null : (first - at.ts) / 1000;
  return result;
}
