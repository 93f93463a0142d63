/**
 * Keyboard navigation between mentions (the next/previous commands) and the
 * popup's "jump to this mention": scroll the mention into view, mark it
 * briefly, and open its card once the page has stopped moving, so the card
 * never opens over a page still scrolling.
 */
import type { Lifetime } from './lifetime';
import { inViewport, rangeRect } from './geometry';
import type { CardHost } from './hover';
import type { Painter } from './painter';
import type { Scanner } from './scanner';

const FLASH_MS = 1200;
/** Opens the card even if the engine (or an inner scroller) never sends `scrollend`. */
const SCROLL_FALLBACK_MS = 1500;

export class KeyboardNavigator {
  private cursor = -1;

  constructor(
    private readonly ctx: Lifetime,
    private readonly scanner: Scanner,
    private readonly painter: Painter,
    private readonly card: CardHost,
  ) {}

  /** Moves to the next (1) or previous (-1) mention, from the open card's if any. */
  step(direction: 1 | -1): void {
    const list = this.scanner.mentions();
    if (!list.length) return;
    const open = this.card.current();
    const at = open ? list.indexOf(open) : this.cursor;
    this.reveal((at + direction + list.length) % list.length);
  }

  /** Scrolls to mention `i` (document order) and opens its card with focus inside. */
  reveal(i: number): void {
    const mention = this.scanner.mentions()[i];
    if (!mention) return;
    this.cursor = i;
    const view = window;
    const reduce = view.matchMedia('(prefers-reduced-motion: reduce)').matches;
    let opened = false;
    const openCard = () => {
      if (opened) return;
      opened = true;
      // A capped page paints a window around the reader: it moves here too.
      if (!this.scanner.isPainted(mention)) void this.scanner.paint();
      this.painter.flash(mention.range, FLASH_MS, (fn, ms) => this.ctx.setTimeout(fn, ms));
      this.card.open(mention, 'keyboard');
    };
    const rect = rangeRect(mention.range);
    if (rect && inViewport(rect, view) && rect.top >= 0 && rect.bottom <= view.innerHeight) {
      openCard();
      return;
    }
    if (!reduce) {
      this.ctx.addEventListener(view, 'scrollend', openCard, { capture: true, once: true });
      this.ctx.setTimeout(openCard, SCROLL_FALLBACK_MS);
    }
    mention.startNode.parentElement?.scrollIntoView({ block: 'center', behavior: reduce ? 'auto' : 'smooth' });
    if (reduce) openCard();
  }
}
