/**
 * Cooperative scheduling: our work runs in slices of at most SLICE_MS, then
 * gives the main thread back to the page, so no task of ours comes near the
 * 50 ms long-task line even on a 10 MB page.
 */
export const SLICE_MS = 8;

/**
 * The size in characters of the next batch of text to collect and scan, from
 * how long the last batch took: halved (down to `min`) when it took over half
 * a slice, since text dense with mentions costs many times what plain text
 * does per character; doubled back (up to `max`) when it took under an eighth.
 */
export function nextBatchChars(chars: number, ms: number, max: number, min = 1024): number {
  if (ms > SLICE_MS / 2) return Math.max(min, chars >> 1);
  if (ms < SLICE_MS / 8) return Math.min(max, chars * 2);
  return chars;
}

type SchedulerLike = { yield?: () => Promise<void> };

/** The longest run of `scheduler.yield()` hops between two plain tasks: a frame at 60 Hz. */
export const PLAIN_EVERY_MS = 16;

/** When the next yield must be a plain task (see yieldToPage). */
let plainAt = 0;

/**
 * Resolves in a fresh task: `scheduler.yield()` where it exists, else a
 * message-channel hop. `scheduler.yield()` resumes ahead of the page's own
 * tasks, and Chromium then renders the page only about every 100 ms while
 * a pass runs (a pass over 3,000 mentions in a browser test page: 2-4
 * frames in 208-420 ms, gaps of up to 102-119 ms). So at least once every
 * PLAIN_EVERY_MS the hop is a plain task, which queues behind a frame that
 * is due (the same pass: 12-21 frames in 307-565 ms, gaps of up to 52-91 ms).
 */
export function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: SchedulerLike }).scheduler;
  const now = performance.now();
  if (scheduler?.yield && now < plainAt) return scheduler.yield();
  plainAt = now + PLAIN_EVERY_MS;
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/** Two frames at 60 Hz: time for the rendering a change made due to begin. */
const FRAME_WAIT_MS = 34;

/**
 * Resolves when the page is idle: after its pending rendering (so style and
 * layout are clean and the visibility checks that follow read computed style
 * instead of forcing it inside our task), in a task of its own. An idle
 * callback rather than an animation frame, so none of our work runs inside
 * the page's rendering tasks; the timeout keeps a busy page from starving us.
 *
 * The idle callback is asked for only after FRAME_WAIT_MS: a page that has
 * been idle a while is in a long idle period, and an idle callback asked for
 * then runs at once, before the rendering a change to the page has just made
 * due. On the 16 MB page, a paragraph appended after a quiet spell had our
 * first task force the page's whole layout, 226–284 ms (2 loads of 3). By
 * the time the timer fires, that rendering has begun, and the timer's task
 * queues behind it. (An animation frame would know, but its callback would
 * be our work inside the page's rendering task.)
 */
export function whenIdle(doc: Document, timeout = 500): Promise<void> {
  // (A document whose window is gone has nothing left to scan.)
  return new Promise((done) => setTimeout(() => doc.defaultView?.requestIdleCallback(() => done(), { timeout }), FRAME_WAIT_MS));
}

/**
 * Receives the length of every finished slice. Only the benchmark and the
 * end-to-end build install one (see `observeSlices`); release builds record
 * nothing.
 */
export type SliceObserver = (ms: number) => void;
let observer: SliceObserver | null = null;

export function observeSlices(next: SliceObserver | null): void {
  observer = next;
}

/** A time budget for one slice of work. */
export class Slice {
  private started = performance.now();
  /** The length of the slices closed so far. */
  private closed = 0;

  /** Time worked in this run of slices so far, without the pauses between them: the difference of two readings is the work between them. */
  worked(): number {
    return this.closed + performance.now() - this.started;
  }

  /** True once this slice has used its budget. */
  spent(): boolean {
    return performance.now() - this.started > SLICE_MS;
  }

  /** Yields if the budget is spent, then starts a new slice. */
  async maybeYield(): Promise<void> {
    if (!this.spent()) return;
    this.end();
    await yieldToPage();
    this.started = performance.now();
  }

  /** Closes the current slice (call when a run of work ends, before awaiting anything else). */
  end(): void {
    const now = performance.now();
    this.closed += now - this.started;
    observer?.(now - this.started);
    this.started = now;
  }
}

/** Slice statistics, for the benchmark and the e2e probe. */
export interface SliceStats {
  busyMs: number;
  longestMs: number;
  slices: number;
}

export function sliceStatsRecorder(): { stats: SliceStats; observer: SliceObserver } {
  const stats: SliceStats = { busyMs: 0, longestMs: 0, slices: 0 };
  return {
    stats,
    observer: (ms) => {
      stats.busyMs += ms;
      stats.slices += 1;
      if (ms > stats.longestMs) stats.longestMs = ms;
    },
  };
}
