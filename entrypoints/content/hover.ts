/**
 * Hover intent and hit-testing without elements.
 *
 * Highlights are not elements, so there is nothing to put a listener on. One
 * delegated, passive pointer listener samples the pointer at most once a frame
 * and asks, cheapest first: is the element under the pointer inside a block
 * that has mentions at all (almost always "no": done)? Then which mention is
 * under the pointer: `CSS.highlights.highlightsFromPoint()` where it works, and
 * `caretPositionFromPoint()` otherwise (Chromium returns no highlights when the
 * device scale factor is not 1, e.g. at 125% zoom).
 *
 * Intent: a card opens after the pointer rests on a mention for the hover
 * delay, stays while the pointer moves into it (grace period), and closes on
 * leave, Esc, a click outside, or when its mention scrolls far away.
 */
import { OWN_UI_TAG } from './collect';
import type { Mention, Scanner } from './scanner';

export const CLOSE_GRACE_MS = 300;

export interface HoverHost {
  delayMs(): number;
  open(mention: Mention, via: 'pointer' | 'keyboard'): void;
  close(restoreFocus: boolean): void;
  isOpen(): boolean;
  current(): Mention | null;
}

type HitResult = { highlight?: Highlight; ranges?: AbstractRange[] } | Highlight;

export class HoverController {
  private frame = 0;
  private last: PointerEvent | null = null;
  private pending: Mention | null = null;
  private openTimer: ReturnType<typeof setTimeout> | undefined;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly doc: Document,
    private readonly scanner: Scanner,
    private readonly host: HoverHost,
    signal: AbortSignal,
  ) {
    const opts = { capture: true, passive: true, signal };
    doc.addEventListener('pointermove', (e) => this.onMove(e), opts);
    doc.addEventListener('pointerdown', (e) => this.onDown(e), opts);
    doc.addEventListener('keydown', (e) => this.onKey(e), { capture: true, signal });
    doc.defaultView?.addEventListener('scroll', () => this.onScroll(), opts);
    signal.addEventListener('abort', () => this.reset());
  }

  private onMove(e: PointerEvent): void {
    if (e.pointerType === 'touch') return;
    this.last = e;
    if (!this.frame) this.frame = requestAnimationFrame(() => this.sample());
  }

  private sample(): void {
    this.frame = 0;
    const e = this.last;
    if (!e) return;
    const target = e.target as Element | null;
    if (target && isOwnUi(target)) {
      this.cancelClose();
      return;
    }
    const mention = this.hitTest(e.clientX, e.clientY, target);
    if (mention) {
      if (this.host.isOpen() && this.host.current() === mention) {
        this.cancelClose();
        return;
      }
      if (this.pending === mention) return;
      this.pending = mention;
      clearTimeout(this.openTimer);
      this.openTimer = setTimeout(() => {
        if (this.pending === mention) {
          this.cancelClose();
          this.host.open(mention, 'pointer');
        }
      }, this.host.delayMs());
      return;
    }
    this.pending = null;
    clearTimeout(this.openTimer);
    if (this.host.isOpen()) this.scheduleClose();
  }

  /** The mention under a viewport point, or null. Public for tests and keyboard code. */
  hitTest(x: number, y: number, target: Element | null): Mention | null {
    // Not over a block with mentions: the cheap path for almost every move.
    if (target && !this.containsMentionBlock(target)) return null;
    const viaHighlights = this.fromHighlights(x, y);
    if (viaHighlights) return viaHighlights;
    return this.fromCaret(x, y);
  }

  /** Pointer over an inline child (a link inside a paragraph): walk up a few levels. */
  private containsMentionBlock(target: Element): boolean {
    let el: Element | null = target;
    for (let i = 0; el && i < 6; i++, el = el.parentElement) {
      if (this.scanner.blockHasMentions(el)) return true;
    }
    return false;
  }

  private fromHighlights(x: number, y: number): Mention | null {
    const registry = CSS.highlights as HighlightRegistry & { highlightsFromPoint?: (x: number, y: number) => HitResult[] };
    if (typeof registry.highlightsFromPoint !== 'function') return null;
    let results: HitResult[];
    try {
      results = registry.highlightsFromPoint(x, y);
    } catch {
      return null;
    }
    for (const result of results) {
      const ranges = 'ranges' in result ? result.ranges : undefined;
      for (const range of ranges ?? []) {
        const m = this.mentionForRange(range);
        if (m) return m;
      }
    }
    return null;
  }

  private mentionForRange(range: AbstractRange): Mention | null {
    const list = this.scanner.mentionsInNode(range.startContainer as Text);
    return list?.find((m) => m.range === range) ?? null;
  }

  private fromCaret(x: number, y: number): Mention | null {
    const doc = this.doc as Document & { caretRangeFromPoint?: (x: number, y: number) => Range | null };
    let node: Node | null = null;
    if (typeof doc.caretPositionFromPoint === 'function') {
      const pos = doc.caretPositionFromPoint(x, y);
      node = pos?.offsetNode ?? null;
    } else if (typeof doc.caretRangeFromPoint === 'function') {
      const r = doc.caretRangeFromPoint(x, y);
      node = r?.startContainer ?? null;
    }
    if (!node || node.nodeType !== 3) return null;
    const list = this.scanner.mentionsInNode(node as Text);
    if (!list) return null;
    // The caret snaps to the nearest character, so confirm the point is on the mention's boxes.
    return list.find((m) => pointInRange(m.range, x, y)) ?? null;
  }

  private onDown(e: PointerEvent): void {
    if (!this.host.isOpen()) return;
    const target = e.target as Element | null;
    if (target && isOwnUi(target)) return;
    this.host.close(false);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Escape' && this.host.isOpen()) {
      this.host.close(true);
    }
  }

  private onScroll(): void {
    const m = this.host.current();
    if (!m || !this.host.isOpen()) return;
    const rect = rangeRect(m.range);
    const view = this.doc.defaultView;
    if (!rect || !view) return;
    const margin = view.innerHeight * 0.5;
    if (rect.bottom < -margin || rect.top > view.innerHeight + margin) this.host.close(false);
  }

  /** The card's own pointer events report through here. */
  cardPointer(inside: boolean): void {
    if (inside) this.cancelClose();
    else this.scheduleClose();
  }

  private scheduleClose(): void {
    if (this.closeTimer !== undefined) return;
    this.closeTimer = setTimeout(() => {
      this.closeTimer = undefined;
      this.host.close(false);
    }, CLOSE_GRACE_MS);
  }

  private cancelClose(): void {
    clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
  }

  /** Forget the pending mention (after a close, so re-hovering it opens again). */
  forget(): void {
    this.pending = null;
    clearTimeout(this.openTimer);
    this.cancelClose();
  }

  private reset(): void {
    cancelAnimationFrame(this.frame);
    this.forget();
  }
}

export function rangeRect(range: AbstractRange): DOMRect | null {
  const live = toLiveRange(range);
  return live ? live.getBoundingClientRect() : null;
}

export function toLiveRange(range: AbstractRange): Range | null {
  if (!range.startContainer.isConnected) return null;
  const live = range.startContainer.ownerDocument!.createRange();
  try {
    live.setStart(range.startContainer, range.startOffset);
    live.setEnd(range.endContainer, range.endOffset);
  } catch {
    return null;
  }
  return live;
}

function pointInRange(range: AbstractRange, x: number, y: number): boolean {
  const live = toLiveRange(range);
  if (!live) return false;
  for (const r of live.getClientRects()) {
    if (x >= r.left - 1 && x <= r.right + 1 && y >= r.top - 1 && y <= r.bottom + 1) return true;
  }
  return false;
}

function isOwnUi(el: Element): boolean {
  return el.tagName === OWN_UI_TAG || el.closest?.(OWN_UI_TAG.toLowerCase()) != null;
}
