/**
 * The card on the page: the Card view in a closed shadow root, positioned
 * next to its mention with Floating UI, in the top layer so it shows above a
 * page's open modal <dialog> or fullscreen element.
 *
 * The host is the one element Counterpoint ever adds to a page, on first use.
 * Its tag name is made up for this page load, so a page cannot define it
 * first (a custom element defined ahead of us could reach our shadow root
 * through ElementInternals, or make attaching it throw). Nothing about a
 * failed mount is cached: the next card tries again with a new name. Actions
 * inside the card run only on trusted input (see components/Card.tsx).
 */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { autoUpdate, computePosition, flip, offset, shift, size } from '@floating-ui/dom';
import { Card } from '@/components/Card';
import cardCss from '@/components/card.css?inline';
import { rankCards } from '@/lib/cards';
import type { CardView } from '@/lib/protocol';
import { t } from '@/lib/i18n';
import { randomName } from '@/lib/names';
import { topicColour } from '@/lib/theme';
import type { CardDeps, CardUi } from '../content/card-host';
import { toLiveRange } from '../content/geometry';
import type { Mention } from '../content/scanner';

/** The card's "summary" button opens the popup at most this often. */
const SUMMARY_INTERVAL_MS = 2000;
/** At this window width or less, the card is a sheet at the bottom or top (phones). */
const SHEET_MAX_WIDTH = 520;
/** Space kept between a sheet and the mention it is for (px). */
const SHEET_GAP = 12;
const SHEET_MIN_HEIGHT = 140;
/**
 * Set (in this extension's storage.local) once the reader dismissed the
 * one-time hint. A page cannot reach extension storage; a content script
 * could set it, which would only hide a hint.
 */
export const HINT_KEY = 'cardHintDismissed';

interface Mounted {
  host: HTMLElement;
  root: ShadowRoot;
  container: HTMLElement;
}

export class Popover implements CardUi {
  private mounted: Mounted | null = null;
  private mention: Mention | null = null;
  private cards: CardView[] = [];
  private index = 0;
  private stopAutoUpdate: (() => void) | null = null;
  private returnFocus: Element | null = null;
  private focusOnOpen = false;
  private openToken = 0;
  private lastSummary = 0;
  /** The card is on screen (not merely loading). */
  private shown = false;
  /** Opened or kept by a click or the keyboard: stays until Esc, close, a click outside or focus leaving it. */
  private pinned = false;
  /** null until storage answers; the hint shows only once it says "not dismissed". */
  private hintDismissed: boolean | null = null;

  constructor(private readonly deps: CardDeps) {
    void browser.storage.local.get(HINT_KEY).then(
      (stored) => {
        this.hintDismissed = stored[HINT_KEY] === true;
        if (this.shown) this.renderCard();
      },
      () => (this.hintDismissed = true),
    );
  }

  isPinned(): boolean {
    return this.isOpen() && this.pinned;
  }

  /** Pins the open card (a click on its mention). */
  pin(): void {
    if (!this.mention || this.pinned) return;
    this.pinned = true;
    if (this.shown) this.renderCard();
  }

  delayMs(): number {
    return this.deps.delayMs();
  }

  isOpen(): boolean {
    this.noticeRemoval();
    return this.mention !== null;
  }

  current(): Mention | null {
    this.noticeRemoval();
    return this.mention;
  }

  /** The elements we added to the page: the card's host, once mounted. */
  elements(): Element[] {
    return this.mounted ? [this.mounted.host] : [];
  }

  owns(node: Node): boolean {
    const m = this.mounted;
    return !!m && (node === m.host || node === m.root || m.host.contains(node) || node.getRootNode() === m.root);
  }

  /** A page that removed our host closed the card without telling us: catch up. */
  private noticeRemoval(): void {
    if (this.shown && this.mounted && !this.mounted.host.isConnected) this.close(false);
  }

  open(mention: Mention, via: 'pointer' | 'keyboard' | 'click'): void {
    const token = ++this.openToken;
    this.close(false);
    this.mention = mention;
    this.pinned = via !== 'pointer';
    this.focusOnOpen = via === 'keyboard';
    if (via === 'keyboard') this.returnFocus = document.activeElement;
    void this.deps.loadCards(mention.topicId).then((cards) => {
      if (token !== this.openToken || this.mention !== mention) return;
      const mounted = this.mount();
      if (!mounted) return this.close(false);
      this.cards = rankCards(cards, mention.sentence, mention.paragraph, mention.text);
      this.index = 0;
      this.show(mounted);
    });
  }

  /** The open card's mention was replaced by an identical one (a rescan): follow it, keeping the card as it is. */
  rebind(mention: Mention): void {
    if (!this.mention) return;
    this.mention = mention;
    if (this.shown) this.renderCard();
  }

  /** Our host and its closed shadow root, made on first use (and again if a page removed them). */
  private mount(): Mounted | null {
    if (this.mounted) return this.mounted;
    let host: HTMLElement;
    let root: ShadowRoot;
    try {
      host = document.createElement(`${randomName().slice(0, 6)}-${randomName().slice(0, 6)}`);
      root = host.attachShadow({ mode: import.meta.env.MODE === 'e2e' ? 'open' : 'closed' });
    } catch {
      return null;
    }
    if (import.meta.env.MODE === 'e2e') host.setAttribute('data-counterpoint-test', 'card');
    host.setAttribute('popover', 'manual');
    const style = document.createElement('style');
    style.textContent = cardCss;
    const container = document.createElement('div');
    root.append(style, container);
    const opts = { signal: this.deps.life.signal };
    host.addEventListener('pointerenter', (e) => e.isTrusted && this.deps.onCardPointer(true), opts);
    host.addEventListener('pointerleave', (e) => e.isTrusted && this.deps.onCardPointer(false), opts);
    root.addEventListener(
      'keydown',
      (e) => {
        const key = e as KeyboardEvent;
        if (!e.isTrusted) return;
        if (key.key === 'Escape') {
          e.stopPropagation();
          this.close(true);
          return;
        }
        // Tab past the last control (or Shift+Tab before the first) leaves the
        // card: it closes and focus goes back to where the reader was. Done
        // here because the host is the page's last element, and past it
        // browsers move focus to their own UI, where no page event says so.
        if (key.key !== 'Tab' || key.altKey || key.ctrlKey || key.metaKey) return;
        const stops = [...root.querySelectorAll<HTMLElement>('button:not([disabled]), a[href]')];
        const edge = key.shiftKey ? stops[0] : stops[stops.length - 1];
        const active = root.activeElement;
        if (!edge || (active !== edge && !(key.shiftKey && active === root.querySelector('.cp-card')))) return;
        e.preventDefault();
        this.close(true);
      },
      opts,
    );
    // Working in a hover card (opening "more", paging) pins it, so a pointer
    // that then strays off it does not take it away. Runs after the control's
    // own handler: a close button has already closed the card.
    root.addEventListener('click', (e) => e.isTrusted && this.pin(), opts);
    // Focus leaving the card (Tab past its last control, Shift+Tab before its
    // first) closes it, so it never stays over the page focus moved to. Focus
    // that leaves the document (another window, the browser's own UI) keeps it;
    // focus that drops to the page's body (Firefox, past the last element) does not.
    root.addEventListener(
      'focusout',
      (e) => {
        const next = (e as FocusEvent).relatedTarget as Node | null;
        if (next) {
          if (!this.owns(next)) this.close(false);
          return;
        }
        // Only for the card that lost focus: a card opened since (the next mention) has its own.
        const token = this.openToken;
        const lost = e.target as Element;
        setTimeout(() => {
          if (token !== this.openToken || !this.shown) return;
          // A control the card itself re-rendered away (a related debate, "Got it"): focus stays in the card.
          if (!lost.isConnected) {
            root.querySelector<HTMLElement>('.cp-card')?.focus();
            return;
          }
          const active = document.activeElement;
          if (document.hasFocus() && (!active || !this.owns(active))) this.close(false);
        }, 0);
      },
      opts,
    );
    // Focus that left for the browser's own UI (past the page's last element)
    // and comes back to the page (the first element) lands outside the card.
    document.addEventListener(
      'focusin',
      (e) => {
        if (!e.isTrusted || !this.shown) return;
        const target = (e.composedPath()[0] ?? e.target) as Node | null;
        if (target && !this.owns(target)) this.close(false);
      },
      { ...opts, capture: true },
    );
    this.mounted = { host, root, container };
    return this.mounted;
  }

  private show({ host }: Mounted): void {
    // Inside the page's top-layer element, if any, so the card is neither hidden nor inert.
    const parent = document.fullscreenElement ?? document.querySelector('dialog:modal') ?? document.body;
    if (host.parentNode !== parent) parent.append(host);
    // A page that zooms itself with CSS (`body { zoom: 1.25 }`) zooms what it
    // holds, our card too: drawn larger and, since its position is in the
    // viewport's pixels, placed off its mention by the same factor. The card
    // takes the inverse zoom (card.css), which puts it back at 1.
    host.style.setProperty('--cp-unzoom', String(1 / pageZoom(parent)));
    try {
      if (!host.matches(':popover-open')) host.showPopover();
    } catch {
      // Older engines: fixed positioning with the top z-index still applies.
    }
    this.shown = true;
    this.renderCard();
  }

  private renderCard(): void {
    const mention = this.mention;
    const mounted = this.mounted;
    if (!mention || !mounted) return;
    const topics = this.deps.topics();
    const topic = topics.find((x) => x.id === mention.topicId);
    const topicName = topic?.name ?? mention.topicId;
    const card = this.cards[this.index];
    const colour = topicColour(
      topics.map((x) => x.id),
      mention.topicId,
    );
    // Left to right, as our locales (English, Chinese) and the dataset's
    // text are: on a right-to-left page the card would otherwise inherit the
    // page's direction and turn its English around.
    render(
      <div class="cp-float" dir="ltr" ref={(el) => void (el && this.place(el, mention))}>
        <Card
          topicName={topicName}
          colour={colour}
          pinned={this.pinned}
          hint={this.hintDismissed === false}
          onDismissHint={() => {
            this.hintDismissed = true;
            void browser.storage.local.set({ [HINT_KEY]: true }).catch(() => undefined);
            this.renderCard();
          }}
          cards={this.cards}
          index={this.index}
          mentionText={mention.text}
          focusOnOpen={this.focusOnOpen}
          onStep={(delta) => {
            this.index = (this.index + delta + this.cards.length) % this.cards.length;
            this.renderCard();
          }}
          onGoTo={(id) => {
            const i = this.cards.findIndex((c) => c.id === id);
            if (i < 0) return;
            this.index = i;
            this.renderCard();
          }}
          onClose={() => this.close(true)}
          onMuteTopic={() => {
            this.deps.muteTopic(mention.topicId);
            this.close(false);
          }}
          onMuteSite={() => {
            this.deps.muteSite();
            this.close(false);
          }}
          onOpenSummary={() => {
            const now = Date.now();
            if (now - this.lastSummary < SUMMARY_INTERVAL_MS) return;
            this.lastSummary = now;
            this.deps.openSummary();
          }}
          onOpenCompanion={() => {
            const now = Date.now();
            if (now - this.lastSummary < SUMMARY_INTERVAL_MS) return;
            this.lastSummary = now;
            this.deps.openCompanion();
            this.close(false);
          }}
        />
        <div class="cp-sr" role="status" aria-live="polite">
          {card ? t('cardAnnounce', [topicName, card.question]) : ''}
        </div>
      </div>,
      mounted.container,
    );
  }

  private place(floating: HTMLElement, mention: Mention): void {
    this.stopAutoUpdate?.();
    const reference = {
      getBoundingClientRect: () => toLiveRange(mention.range)?.getBoundingClientRect() ?? new DOMRect(),
      getClientRects: () => toLiveRange(mention.range)?.getClientRects() ?? ([] as unknown as DOMRectList),
      contextElement: mention.startNode.parentElement ?? undefined,
    };
    const update = () => {
      // A phone-sized window: the card is a sheet along the bottom (or the
      // top, when the mention is in the lower half), full width, scrolling
      // inside itself, and never over the text that was tapped.
      const view = floating.ownerDocument.defaultView;
      if (view && view.innerWidth <= SHEET_MAX_WIDTH) {
        const rect = reference.getBoundingClientRect();
        const below = view.innerHeight - rect.bottom - SHEET_GAP;
        const above = rect.top - SHEET_GAP;
        const atTop = above > below;
        const room = Math.max(SHEET_MIN_HEIGHT, Math.floor(Math.min(view.innerHeight * 0.6, atTop ? above : below)));
        floating.classList.add('cp-sheet');
        floating.classList.toggle('cp-sheet-top', atTop);
        floating.style.left = '0px';
        floating.style.top = atTop ? '0px' : '';
        floating.style.bottom = atTop ? '' : '0px';
        floating.style.setProperty('--cp-max-h', `${room}px`);
        return;
      }
      floating.classList.remove('cp-sheet', 'cp-sheet-top');
      floating.style.bottom = '';
      void computePosition(reference, floating, {
        strategy: 'fixed',
        placement: 'bottom-start',
        middleware: [
          offset(6),
          flip({ padding: 8 }),
          shift({ padding: 8 }),
          size({
            padding: 8,
            apply({ availableHeight, elements }) {
              // The card scrolls inside whatever height the side it opened on leaves.
              elements.floating.style.setProperty('--cp-max-h', `${Math.max(160, Math.floor(availableHeight))}px`);
            },
          }),
        ],
      }).then(({ x, y }) => {
        floating.style.left = `${x}px`;
        floating.style.top = `${y}px`;
      });
    };
    this.stopAutoUpdate = autoUpdate(reference, floating, update, { animationFrame: false });
  }

  /** Closes the card. With `restoreFocus`, focus goes back where it was before the keyboard opened it. */
  close(restoreFocus: boolean): void {
    if (!this.mention) return;
    this.mention = null;
    this.shown = false;
    this.pinned = false;
    this.stopAutoUpdate?.();
    this.stopAutoUpdate = null;
    const mounted = this.mounted;
    if (mounted) {
      render(null, mounted.container);
      try {
        if (mounted.host.matches(':popover-open')) mounted.host.hidePopover();
      } catch {
        /* not a popover in this engine */
      }
    }
    if (restoreFocus && this.returnFocus instanceof HTMLElement) this.returnFocus.focus();
    this.returnFocus = null;
    this.deps.onClosed();
  }

  destroy(): void {
    this.close(false);
    this.mounted?.host.remove();
    this.mounted = null;
  }
}

/**
 * The zoom a page's CSS applies at an element: the product of `zoom` over
 * it and its ancestors (1 where the engine has no such property).
 */
function pageZoom(element: Element): number {
  let zoom = 1;
  for (let e: Element | null = element; e; e = e.parentElement) {
    const own = parseFloat(getComputedStyle(e).zoom);
    if (own > 0) zoom *= own;
  }
  return zoom > 0 && Number.isFinite(zoom) ? zoom : 1;
}
