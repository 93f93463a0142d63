/** The benchmark's outside measurement: attributing a trace's main-thread work to a script by URL. */
import { describe, expect, it } from 'vitest';
import { attribute, profileTimeOf, type TraceEvent } from '../../scripts/bench/trace';

const OURS = 'chrome-extension://abc/content-scripts/content.js';
const PAGE = 'http://127.0.0.1:9/page.js';
const main = { pid: 1, tid: 7 };
const meta: TraceEvent = { name: 'thread_name', cat: '__metadata', ph: 'M', ts: 0, ...main, args: { name: 'CrRendererMain' } };
const task = (ts: number, dur: number): TraceEvent => ({ name: 'RunTask', cat: 'disabled-by-default-devtools.timeline,toplevel', ph: 'X', ts, dur, ...main });
const call = (ts: number, dur: number, url: string): TraceEvent => ({
  name: 'FunctionCall',
  cat: 'devtools.timeline',
  ph: 'X',
  ts,
  dur,
  ...main,
  args: { data: { url } },
});

/** A profile of 1 ms samples: nodes 1 root, 2 our function, 3 page function, 4 the garbage collector. */
function profile(startTime: number, samples: number[]): TraceEvent[] {
  return [
    { name: 'Profile', cat: 'disabled-by-default-v8.cpu_profiler', ph: 'P', ts: startTime, ...main, id: '0x1', args: { data: { startTime } } },
    {
      name: 'ProfileChunk',
      cat: 'disabled-by-default-v8.cpu_profiler',
      ph: 'P',
      ts: startTime,
      ...main,
      id: '0x1',
      args: {
        data: {
          cpuProfile: {
            nodes: [
              { id: 1, callFrame: { url: '', functionName: '(root)' } },
              { id: 2, parent: 1, callFrame: { url: OURS, functionName: 'scan' } },
              { id: 3, parent: 1, callFrame: { url: PAGE, functionName: 'render' } },
              { id: 4, parent: 1, callFrame: { url: '', functionName: '(garbage collector)' } },
            ],
            samples,
          },
          timeDeltas: samples.map((_, i) => (i === 0 ? 0 : 1000)),
        },
      },
    },
  ];
}

describe('attribute', () => {
  it('counts our samples and the garbage collection in our tasks, finds the longest task holding our work, and leaves the page its own', () => {
    // Task A: 0–60 ms, ours (20 samples) then GC (5 samples). Task B: 100–130 ms, page only (30 samples).
    const samples = [...Array(20).fill(2), ...Array(5).fill(4), ...Array(75).fill(1), ...Array(30).fill(3), 1];
    const events = [meta, task(0, 60_000), call(1000, 20_000, OURS), task(100_000, 30_000), call(100_000, 30_000, PAGE), ...profile(0, samples)];
    const a = attribute(events, 'chrome-extension://abc/');
    expect(a.profileMs).toBeCloseTo(25, 0);
    expect(a.gcMs).toBeCloseTo(5, 0);
    expect(a.timelineMs).toBeCloseTo(20, 5);
    expect(a.longestTaskMs).toBeCloseTo(60, 5);
    expect(a.longTasks).toBe(1);
    expect(a.mainThreadMs).toBeCloseTo(90, 5);
    // Our 20 samples in task A; its other 40 ms are GC and idle, under 50: the long task is ours.
    expect(a.longestOursInTaskMs).toBeCloseTo(20, 0);
    expect(a.longTasksOfOurs).toBe(1);
  });

  it("tells a page's long task that our observer callback ran in from a task our work made long", () => {
    // One 80 ms task: the page renders for 75 ms, then our callback runs 5 ms at its end.
    const samples = [...Array(75).fill(3), ...Array(5).fill(2), 1];
    const events = [meta, task(0, 80_000), call(0, 75_000, PAGE), call(75_000, 5_000, OURS), ...profile(0, samples)];
    const a = attribute(events, 'chrome-extension://abc/');
    expect(a.longestTaskMs).toBeCloseTo(80, 5);
    expect(a.longTasks).toBe(1);
    expect(a.longestOursInTaskMs).toBeCloseTo(5, 0);
    expect(a.longTasksOfOurs).toBe(0);
  });

  it('says how much of each long task with our work was the collector and time off the CPU', () => {
    const gc = (name: string, ts: number, dur: number): TraceEvent => ({ name, cat: 'devtools.timeline,v8', ph: 'X', ts, dur, ...main });
    const events = [
      meta,
      // 90 ms, 85 of them on the CPU: a 45 ms major GC (its phase nested in it counts once) and 10 ms of ours.
      { ...task(0, 90_000), tdur: 85_000 },
      call(0, 10_000, OURS),
      gc('MajorGC', 10_000, 45_000),
      gc('V8.GCIncrementalMarking', 12_000, 5_000),
      // 70 ms all ours on the CPU, with a 4 ms scavenge: long without it too.
      { ...task(100_000, 70_000), tdur: 70_000 },
      call(100_000, 70_000, OURS),
      gc('MinorGC', 120_000, 4_000),
      // 80 ms of the page's alone, with a GC: not ours, not counted.
      { ...task(200_000, 80_000), tdur: 40_000 },
      call(200_000, 80_000, PAGE),
      gc('MajorGC', 210_000, 60_000),
    ];
    const a = attribute(events, 'chrome-extension://abc/');
    expect(a.longTasks).toBe(2);
    expect(a.longTaskGcMs).toBeCloseTo(49, 5);
    expect(a.longTaskOffCpuMs).toBeCloseTo(5, 5);
    // 90 − 45 − 5 = 40 ms: under 50 once the pause and the wait are out. 70 − 4 = 66: still long.
    expect(a.longTasksBeyondGc).toBe(1);
  });

  it("takes the profiler's own start-up stall out of the task it lands in", () => {
    const events = [meta, task(0, 70_000), call(0, 70_000, OURS), { name: 'CpuProfiler::StartProfiling', cat: 'v8', ph: 'X', ts: 100, dur: 60_000, ...main }];
    const a = attribute(events, 'chrome-extension://abc/');
    expect(a.longestTaskMs).toBeCloseTo(10, 5);
    expect(a.longTasks).toBe(0);
  });

  it('ignores other threads, and counts nested script events once', () => {
    const other = { pid: 2, tid: 9 };
    const events = [
      meta,
      task(0, 10_000),
      call(0, 8_000, OURS),
      call(1_000, 2_000, OURS),
      { ...task(0, 50_000), ...other },
      { ...call(0, 40_000, OURS), ...other },
    ];
    const a = attribute(events, 'chrome-extension://abc/');
    expect(a.timelineMs).toBeCloseTo(8, 5);
    expect(a.mainThreadMs).toBeCloseTo(10, 5);
    expect(a.longestTaskMs).toBeCloseTo(10, 5);
  });
});

describe('profileTimeOf', () => {
  it('sums the samples whose stack holds a frame of the script, each worth the gap to the next', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: { url: '' }, children: [2, 3] },
        { id: 2, callFrame: { url: OURS }, children: [4] },
        { id: 3, callFrame: { url: PAGE } },
        // A native call made from our frame: ours too.
        { id: 4, callFrame: { url: '' } },
      ],
      samples: [2, 4, 3, 1, 2],
      timeDeltas: [0, 1000, 3000, 5000, 7000],
    };
    // Samples 0 (1 ms to the next) and 1 (3 ms) are ours; the last has no next, so no time.
    expect(profileTimeOf(profile, 'chrome-extension://abc/')).toBeCloseTo(4, 5);
    expect(profileTimeOf(profile, 'http://127.0.0.1:9/')).toBeCloseTo(5, 5);
  });
});
