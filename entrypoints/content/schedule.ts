/**
 * Cooperative scheduling: our work runs in slices of at most SLICE_MS, then
 * gives the main thread back to the page, so no task of ours comes near the
 * 50 ms long-task line even on a 10 MB page.
 */
export const SLICE_MS = 8;

type SchedulerLike = { yield?: () => Promise<void> };

/** Resolves in a fresh task: `scheduler.yield()` where it exists, else a message-channel hop. */
export function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: SchedulerLike }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/**
 * What our slices cost, for the benchmark: total busy time and the longest
 * slice. Two additions per slice; read by scripts/bench.
 */
export const sliceStats = { busyMs: 0, longestMs: 0, slices: 0 };

/** A time budget for one slice of work. */
export class Slice {
  private started = performance.now();

  /** True once this slice has used its budget. */
  spent(): boolean {
    return performance.now() - this.started > SLICE_MS;
  }

  /** Yields if the budget is spent, then starts a new slice. */
  async maybeYield(): Promise<void> {
    if (!this.spent()) return;
    this.record();
    await yieldToPage();
    this.started = performance.now();
  }

  /** Closes the last slice of a pass (call when the pass ends). */
  end(): void {
    this.record();
    this.started = performance.now();
  }

  private record(): void {
    const ms = performance.now() - this.started;
    sliceStats.busyMs += ms;
    sliceStats.slices += 1;
    if (ms > sliceStats.longestMs) sliceStats.longestMs = ms;
  }
}
