/** The benchmark's outside measurement in Firefox: attributing a Gecko profile's samples to our scripts. */
import { describe, expect, it } from 'vitest';
import { attributeGecko, type GeckoProfile, type GeckoThread } from '../../scripts/bench/gecko';

const PREFIX = 'moz-extension://uuid/';
const CATEGORIES = [{ name: 'Idle' }, { name: 'Other' }, { name: 'JavaScript' }, { name: 'GC / CC' }];
const [IDLE, OTHER, JS, GC] = [0, 1, 2, 3];

/**
 * A main thread whose samples each name a stack of frames (root first):
 * [location, category] pairs, and the CPU time (ns) the thread used since
 * the sample before.
 */
function thread(processName: string, samples: { frames: [string, number][]; cpuNs: number }[], name = 'GeckoMain'): GeckoThread {
  const strings: string[] = [];
  const frames: (number | string | boolean | null)[][] = [];
  const stacks: (number | null)[][] = [];
  const data: unknown[][] = [[null, 0, 0, null, 0]];
  samples.forEach((sample, i) => {
    let prefix: number | null = null;
    for (const [location, category] of sample.frames) {
      strings.push(location);
      frames.push([strings.length - 1, false, 0, null, null, null, category, 0]);
      stacks.push([prefix, frames.length - 1]);
      prefix = stacks.length - 1;
    }
    data.push([prefix, i + 1, 0, null, sample.cpuNs]);
  });
  return {
    name,
    processName,
    samples: { schema: { stack: 0, time: 1, eventDelay: 2, argumentValues: 3, threadCPUDelta: 4 }, data },
    stackTable: { schema: { prefix: 0, frame: 1 }, data: stacks },
    frameTable: {
      schema: { location: 0, relevantForJS: 1, innerWindowID: 2, implementation: 3, line: 4, column: 5, category: 6, subcategory: 7 },
      data: frames,
    },
    stringTable: strings,
  };
}

const meta = { categories: CATEGORIES, sampleUnits: { threadCPUDelta: 'ns' } };
const ours: [string, number] = [`run (${PREFIX}content-scripts/content.js:1:20)`, JS];
const loader: [string, number] = ['inject (resource://gre/modules/ExtensionContent.sys.mjs:10:2)', JS];
const page: [string, number] = ['onload (http://127.0.0.1/page.js:3:1)', JS];

describe('attributeGecko', () => {
  it('counts CPU time in web content processes: busy, ours (with GC under our frames), and the loader apart', () => {
    const content = thread('Isolated Web Content', [
      { frames: [ours], cpuNs: 3e6 },
      { frames: [ours, ['Minor GC', GC]], cpuNs: 2e6 },
      { frames: [loader], cpuNs: 4e6 },
      // The loader calling into our script is ours.
      { frames: [loader, ours], cpuNs: 1e6 },
      { frames: [page], cpuNs: 5e6 },
      { frames: [['ProcessNextEvent', IDLE]], cpuNs: 9e6 },
      { frames: [['EventLoop', OTHER]], cpuNs: 0 },
    ]);
    const result = attributeGecko({ meta, threads: [], processes: [{ meta, threads: [content] }] } as GeckoProfile, PREFIX);
    expect(result.oursMs).toBeCloseTo(6, 6);
    expect(result.gcMs).toBeCloseTo(2, 6);
    expect(result.loaderMs).toBeCloseTo(4, 6);
    expect(result.busyMs).toBeCloseTo(15, 6);
    expect(result.processes).toBe(1);
    expect(result.perProcess).toEqual([{ busyMs: expect.closeTo(15, 6), oursMs: expect.closeTo(6, 6) }]);
  });

  it('leaves out other processes and threads: the parent, the extension process, helper threads', () => {
    const profile = {
      meta,
      threads: [thread('Parent', [{ frames: [ours], cpuNs: 7e6 }])],
      processes: [
        { meta, threads: [thread('WebExtensions', [{ frames: [ours], cpuNs: 7e6 }])] },
        { meta, threads: [thread('Web Content', [{ frames: [ours], cpuNs: 7e6 }], 'DOM Worker')] },
        { meta, threads: [thread('Web Content', [{ frames: [page], cpuNs: 2e6 }])] },
      ],
    } as GeckoProfile;
    const result = attributeGecko(profile, PREFIX);
    expect(result.oursMs).toBe(0);
    expect(result.busyMs).toBeCloseTo(2, 6);
    expect(result.processes).toBe(0);
  });

  it('weighs samples by the time between them when the profile has no CPU deltas, at most 2 ms each', () => {
    const t = thread('Web Content', [
      { frames: [ours], cpuNs: 0 },
      { frames: [ours], cpuNs: 0 },
    ]);
    t.samples = {
      schema: { stack: 0, time: 1 },
      data: [
        [null, 0],
        [t.samples.data[1]![0], 1],
        [t.samples.data[2]![0], 6],
      ],
    };
    const result = attributeGecko({ meta: { categories: CATEGORIES }, threads: [t] } as GeckoProfile, PREFIX);
    expect(result.oursMs).toBeCloseTo(3, 6);
  });
});
