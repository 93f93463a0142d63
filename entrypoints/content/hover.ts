/**
 * Hover intent and hit-testing without elements.
 *
 * Highlights are not elements, so there is nothing to put a listener on. One
 * delegated, passive pointer listener samples the pointer at most once a frame
 * and asks, cheapest first: is the element under the pointer inside a block
 * that has mentions at all (almost always "no": done)? Then which mention is
 * under the pointer: `CSS.highlights.highlightsFromPoint()` where it works, and
 * `caretPositionFromPoint()` otherwise (Chromium returns no highlights when the
 * device scale factor is not 1, e.g. at 125% zoom). Only ranges we painted
 * count: a page that adds its own ranges to our highlights gets no card.
 *
 * Only trusted input counts: events a page script dispatches never open a card.
 *
 * Intent: a card opens after the pointer rests on a mention for the hover
 * delay, stays while the pointer moves into it (grace period), and closes on
 * leave, Esc, a click outside, or when its mention scrolls far away.
 *
 * A click on a mention (not on a link or a control, and not the end of a
 * text selection) opens its card pinned, or pins the open one: a pinned card
 * ignores the pointer and scrolling and stays until Esc, its close button, a
 * click outside it, or focus leaving it (entrypoints/card/popover.tsx).
 */
import type { Lifetime } from './lifetime';
import { blockOf } from './collect';
import { pointInRange, rangeRect } from './geometry';
import type { Mention, Scanner } from './scanner';

export const CLOSE_GRACE_MS = 300;

/** Elements whose clicks are their own: a click there never pins a card. */
const INTERACTIVE = 'a[href], button, input, select, textarea, label, summary, [contenteditable=""], [contenteditable="true"], [role="button"], [role="link"]';

/** What hover drives: the card. */
export interface CardHost {
  delayMs(): number;
  /** 'click' and 'keyboard' open the card pinned. */
  open(mention: Mention, via: 'pointer' | 'keyboard' | 'click'): void;
  close(restoreFocus: boolean): void;
  /** Pins the open card: it stays until Esc, its close button, a click outside, or focus leaving it. */
  pin(): void;
  isPinned(): boolean;
  isOpen(): boolean;
  current(): Mention | null;
  /** Is this node part of our own UI? */
  owns(node: Node): boolean;
  /** Get ready to open (load what a card needs), ahead of need. */
  prepare?(): void;
}

type HitResult = { highlight?: Highlight; ranges?: AbstractRange[] } | Highlight;

export class HoverController {
  private frame = 0;
  private last: PointerEvent | null = null;
  private pending: Mention | null = null;
  private openTimer: number | undefined;
  private closeTimer: number | undefined;

  constructor(
    private readonly ctx: Lifetime,
    private readonly doc: Document,
    private readonly scanner: Scanner,
    private readonly card: CardHost,
    /** Is this range one we painted? */
    private readonly ours: (range: AbstractRange) => boolean,
  ) {
    this.listen();
    ctx.onInvalidated(() => this.reset());
  }

  private readonly handlers = {
    move: (e: PointerEvent) => this.onMove(e),
    down: (e: PointerEvent) => this.onDown(e),
    click: (e: MouseEvent) => this.onClick(e),
    key: (e: KeyboardEvent) => this.onKey(e),
    scroll: () => this.onScroll(),
  };

  /**
   * Listens at the window, in the capture phase: the first stop of every
   * event's path, so a page that stops pointer or key events from
   * propagating (a slideshow, an editor shell, an anti-copy script) stops
   * them after we have seen them; only a page listener on the window itself,
   * added before ours, that stops them immediately, comes first. Again after
   * the page rewrote itself (document.open() removes every listener). The
   * same functions each time, so listening twice adds nothing.
   */
  listen(): void {
    const { ctx, handlers } = this;
    const target = this.doc.defaultView;
    if (!target) return;
    const opts = { capture: true, passive: true };
    ctx.addEventListener(target, 'pointermove', handlers.move, opts);
    ctx.addEventListener(target, 'pointerdown', handlers.down, opts);
    ctx.addEventListener(target, 'click', handlers.click, opts);
    ctx.addEventListener(target, 'keydown', handlers.key, { capture: true });
    ctx.addEventListener(target, 'scroll', handlers.scroll, opts);
  }

  private onMove(e: PointerEvent): void {
    if (!e.isTrusted || e.pointerType === 'touch') return;
    this.last = e;
    if (!this.frame) this.frame = this.ctx.requestAnimationFrame(() => this.sample());
  }

  private sample(): void {
    this.frame = 0;
    const e = this.last;
    if (!e) return;
    // The innermost target, inside open shadow roots too (the event itself is retargeted to the host).
    const target = (e.composedPath()[0] ?? e.target) as Node | null;
    if (target && this.card.owns(target)) {
      this.cancelClose();
      return;
    }
    // A pinned card stays put: passing over other mentions opens nothing.
    if (this.card.isPinned()) {
      this.pending = null;
      clearTimeout(this.openTimer);
      return;
    }
    const mention = this.hitTest(e.clientX, e.clientY, target);
    if (mention) {
      if (this.card.isOpen() && this.card.current() === mention) {
        this.cancelClose();
        return;
      }
      if (this.pending === mention) return;
      this.pending = mention;
      this.card.prepare?.();
      clearTimeout(this.openTimer);
      this.openTimer = this.ctx.setTimeout(() => {
        if (this.pending === mention) {
          this.cancelClose();
          this.card.open(mention, 'pointer');
        }
      }, this.card.delayMs());
      return;
    }
    this.pending = null;
    clearTimeout(this.openTimer);
    if (this.card.isOpen()) this.scheduleClose();
  }

  /** The mention under a viewport point, or null. */
  hitTest(x: number, y: number, target: Node | null): Mention | null {
    // Not over a block with mentions: the cheap path for almost every move.
    if (target && !this.nearMentions(target)) return null;
    return this.fromHighlights(x, y) ?? this.fromCaret(x, y);
  }

  /** Pointer over an inline child (a link inside a paragraph): walk up a few blocks. */
  private nearMentions(target: Node): boolean {
    let block = blockOf(target);
    for (let i = 0; block && i < 4; i++) {
      if (this.scanner.blockHasMentions(block)) return true;
      const up: Node | null = block instanceof ShadowRoot ? block.host : block.parentNode;
      block = up ? blockOf(up) : null;
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
      for (const range of ('ranges' in result ? result.ranges : undefined) ?? []) {
        if (!this.ours(range)) continue;
        const m = this.scanner.mentionsInNode(range.startContainer as Text)?.find((x) => x.range === range);
        if (m) return m;
      }
    }
    return null;
  }

  private fromCaret(x: number, y: number): Mention | null {
    const doc = this.doc as Document & { caretRangeFromPoint?: (x: number, y: number) => Range | null };
    let node: Node | null = null;
    if (typeof doc.caretPositionFromPoint === 'function') {
      node = doc.caretPositionFromPoint(x, y)?.offsetNode ?? null;
    } else if (typeof doc.caretRangeFromPoint === 'function') {
      node = doc.caretRangeFromPoint(x, y)?.startContainer ?? null;
    }
    if (!node || node.nodeType !== 3) return null;
    // The caret snaps to the nearest character, so confirm the point is on the mention's boxes.
    return this.scanner.mentionsInNode(node as Text)?.find((m) => this.scanner.isPainted(m) && pointInRange(m.range, x, y)) ?? null;
  }

  private onDown(e: PointerEvent): void {
    if (!e.isTrusted || !this.card.isOpen()) return;
    const target = (e.composedPath()[0] ?? e.target) as Node | null;
    if (target && this.card.owns(target)) return;
    // Pressing on a mention is the start of a click that pins (see onClick), not a click outside.
    if (this.hitTest(e.clientX, e.clientY, target)) return;
    this.card.close(false);
  }

  private onClick(e: MouseEvent): void {
    if (!e.isTrusted || e.button !== 0 || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const target = (e.composedPath()[0] ?? e.target) as Node | null;
    if (!target || this.card.owns(target)) return;
    const element = target instanceof Element ? target : target.parentElement;
    // A link or a control keeps its own click; a drag that selected text is not a click on a mention.
    if (element?.closest(INTERACTIVE)) return;
    const selection = this.doc.getSelection();
    if (selection && !selection.isCollapsed && selection.toString().trim()) return;
    const mention = this.hitTest(e.clientX, e.clientY, target);
    if (!mention) return;
    this.pending = null;
    clearTimeout(this.openTimer);
    this.cancelClose();
    if (this.card.isOpen() && this.card.current() === mention) this.card.pin();
    else this.card.open(mention, 'click');
  }

  private onKey(e: KeyboardEvent): void {
    if (e.isTrusted && e.key === 'Escape' && this.card.isOpen()) this.card.close(true);
  }

  private onScroll(): void {
    const m = this.card.current();
    if (!m || !this.card.isOpen() || this.card.isPinned()) return;
    const rect = rangeRect(m.range);
    const view = this.doc.defaultView;
    if (!rect || !view) return;
    const margin = view.innerHeight * 0.5;
    if (rect.bottom < -margin || rect.top > view.innerHeight + margin) this.card.close(false);
  }

  /** The card's own pointer events report through here. */
  cardPointer(inside: boolean): void {
    if (inside) this.cancelClose();
    else this.scheduleClose();
  }

  private scheduleClose(): void {
    if (this.closeTimer !== undefined || this.card.isPinned()) return;
    this.closeTimer = this.ctx.setTimeout(() => {
      this.closeTimer = undefined;
      this.card.close(false);
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
