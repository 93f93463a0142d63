/**
 * How the content script gives the main thread back: `scheduler.yield()`
 * resumes ahead of the page's own tasks, so a run of them is cut by a plain
 * task at least every PLAIN_EVERY_MS, behind which a frame that is due can
 * render (see yieldToPage).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PLAIN_EVERY_MS, SLICE_MS, Slice, yieldToPage } from '../../entrypoints/content/schedule';

/** A message channel whose message arrives in a microtask, and counts as a plain task. */
let plainTasks = 0;
class FakeChannel {
  port1: { onmessage: (() => void) | null } = { onmessage: null };
  port2 = {
    postMessage: () => {
      plainTasks++;
      queueMicrotask(() => this.port1.onmessage?.());
    },
  };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  plainTasks = 0;
});

let clock = 1_000_000;

/** Yields `times` times with `stepMs` of work between, on a clock of the test's own; 'y' for scheduler.yield, 'p' for a plain task. */
async function hops(times: number, stepMs: number, scheduler?: { yield: () => Promise<void> }): Promise<string> {
  // On from where the last test left it, as performance.now() goes.
  clock += 1000;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  vi.stubGlobal('MessageChannel', FakeChannel);
  vi.stubGlobal('scheduler', scheduler);
  let kinds = '';
  for (let i = 0; i < times; i++) {
    const before = plainTasks;
    await yieldToPage();
    kinds += plainTasks > before ? 'p' : 'y';
    clock += stepMs;
  }
  return kinds;
}

describe('yieldToPage', () => {
  it('uses scheduler.yield, cut by a plain task at least every PLAIN_EVERY_MS', async () => {
    const yields = vi.fn(() => Promise.resolve());
    const kinds = await hops(40, 4, { yield: yields });
    expect(yields).toHaveBeenCalled();
    // No run of scheduler.yield hops spans more than PLAIN_EVERY_MS of the clock.
    const longestRun = Math.max(...kinds.split('p').map((run) => run.length * 4));
    expect(longestRun, kinds).toBeLessThanOrEqual(PLAIN_EVERY_MS);
    expect(kinds.split('').filter((k) => k === 'p').length).toBeGreaterThanOrEqual((40 * 4) / PLAIN_EVERY_MS);
  });

  it('hops through a plain task every time when slices run longer than PLAIN_EVERY_MS', async () => {
    const kinds = await hops(10, PLAIN_EVERY_MS + 1, { yield: () => Promise.resolve() });
    expect(kinds).toBe('p'.repeat(10));
  });

  it('hops through a plain task where there is no scheduler.yield', async () => {
    expect(await hops(10, 1)).toBe('p'.repeat(10));
  });
});

describe('Slice', () => {
  it('counts the work done across its pauses, not the time the page had between them', async () => {
    clock += 1000;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    // The page's turn takes 100 ms of the clock, whichever hop the pause takes.
    vi.stubGlobal('scheduler', { yield: () => Promise.resolve().then(() => void (clock += 100)) });
    vi.stubGlobal(
      'MessageChannel',
      class extends FakeChannel {
        constructor() {
          super();
          const post = this.port2.postMessage;
          this.port2.postMessage = () => {
            clock += 100;
            post();
          };
        }
      },
    );
    const slice = new Slice();
    const worked = slice.worked();
    clock += SLICE_MS + 1;
    const before = clock;
    await slice.maybeYield();
    expect(clock - before).toBe(100);
    clock += 3;
    expect(slice.worked() - worked).toBe(SLICE_MS + 4);
  });
});
