/**
 * Finds open shadow roots attached after their host was scanned.
 *
 * A walk meets the shadow roots that exist when it passes, and the scanner
 * observes each one it meets. But a page can attach a root to an element
 * already on the page (a widget's script running late, a custom element
 * upgraded when its definition loads), and that changes nothing a
 * MutationObserver on the light DOM sees. A content script cannot hook
 * `attachShadow` in the page's world either, so the only way to learn of such
 * a root is to look: after each update, the scanned subtrees are swept
 * again a second and a few seconds later, in slices, for roots not yet
 * known; after a page-wide pass, also a quarter of a minute and a minute
 * later, for widgets whose definitions load late (a pass that ran before
 * the page's load event saw none of what its load handlers attach).
 */
import { Slice, whenIdle } from './schedule';

/** Delays after a scan at which its subtrees are swept. */
export const SWEEP_DELAYS_MS: readonly number[] = [1000, 4000];
/** Delays after a page-wide pass at which the page is swept. */
export const PAGE_SWEEP_DELAYS_MS: readonly number[] = [1000, 4000, 16_000, 64_000];
/** Elements looked at per sweep; a bigger page is swept this far and no further. */
export const SWEEP_MAX_ELEMENTS = 50_000;

export class ShadowSweep {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private epoch = 0;

  constructor(
    private readonly doc: Document,
    /** True for a root already observed. */
    private readonly known: (root: ShadowRoot) => boolean,
    /** Called with each new open shadow root found. */
    private readonly found: (root: ShadowRoot) => void,
  ) {}

  /** Sweeps these subtrees after each of the delays. */
  schedule(roots: readonly Node[], delays = SWEEP_DELAYS_MS): void {
    if (!roots.length) return;
    const epoch = this.epoch;
    for (const delay of delays) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.sweep(roots, epoch);
      }, delay);
      this.timers.add(timer);
    }
  }

  /** Cancels every sweep scheduled or running. */
  stop(): void {
    this.epoch++;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Looks through the roots' elements (and the shadow trees inside them) for open roots not yet known. */
  async sweep(roots: readonly Node[], epoch = this.epoch): Promise<void> {
    await whenIdle(this.doc);
    const slice = new Slice();
    let seen = 0;
    const queue = roots.filter((r) => r.isConnected);
    while (queue.length && seen < SWEEP_MAX_ELEMENTS) {
      if (epoch !== this.epoch) return slice.end();
      const root = queue.pop()!;
      // A walker, element by element, with a pause every few hundred. Not a
      // live collection (getElementsByTagName): asking its length walks the
      // whole subtree in one native call, 47 ms in one task on the 16 MB page.
      const walker = (root.ownerDocument ?? this.doc).createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
      let el = (root.nodeType === 1 ? root : walker.nextNode()) as Element | null;
      for (; el && seen < SWEEP_MAX_ELEMENTS; el = walker.nextNode() as Element | null, seen++) {
        const shadow = el.shadowRoot;
        if (shadow) {
          if (!this.known(shadow)) this.found(shadow);
          queue.push(shadow);
        }
        if ((seen & 255) === 0 && slice.spent()) {
          await slice.maybeYield();
          if (epoch !== this.epoch) return slice.end();
        }
      }
    }
    slice.end();
  }
}
