/**
 * The popover: mounts the Card view in a shadow root the first time a card is
 * needed (no element is added to the page before that), positions it next to
 * its mention with Floating UI, and puts it in the top layer so it shows above
 * a page's open modal <dialog> or fullscreen element.
 */
import { render } from 'preact';
import { autoUpdate, computePosition, flip, offset, shift, size } from '@floating-ui/dom';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { Card } from '@/components/Card';
import cardCss from '@/components/card.css?inline';
import { rankCards } from '@/lib/cards';
import type { CardView, TopicSummary } from '@/lib/protocol';
import { t } from '@/lib/i18n';
import type { Mention } from './scanner';
import type { HoverHost } from './hover';
import { toLiveRange } from './hover';

export interface PopoverDeps {
  ctx: ContentScriptContext;
  topics: () => TopicSummary[];
  loadCards: (topicId: string) => Promise<CardView[]>;
  delayMs: () => number;
  onCardPointer: (inside: boolean) => void;
  onClosed: () => void;
  muteTopic: (topicId: string) => void;
  muteSite: () => void;
  openSummary: () => void;
}

export class Popover implements HoverHost {
  private ui: ShadowRootContentScriptUi<void> | null = null;
  private uiPromise: Promise<ShadowRootContentScriptUi<void>> | null = null;
  private mention: Mention | null = null;
  private cards: CardView[] = [];
  private index = 0;
  private stopAutoUpdate: (() => void) | null = null;
  private returnFocus: Element | null = null;
  private focusOnOpen = false;
  private openToken = 0;
  private lastAnnounced = '';

  /** The card is on screen (not merely loading). */
  private shown = false;

  constructor(private readonly deps: PopoverDeps) {}

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

  /** A page that removed our host closed the card without telling us: catch up. */
  private noticeRemoval(): void {
    if (this.shown && this.ui && !this.ui.shadowHost.isConnected) this.close(false);
  }

  open(mention: Mention, via: 'pointer' | 'keyboard'): void {
    const token = ++this.openToken;
    this.close(false);
    this.mention = mention;
    this.focusOnOpen = via === 'keyboard';
    if (via === 'keyboard') this.returnFocus = document.activeElement;
    void Promise.all([this.mount(), this.deps.loadCards(mention.topicId)]).then(([ui, cards]) => {
      if (token !== this.openToken || this.mention !== mention) return;
      this.cards = rankCards(cards, mention.sentence, mention.paragraph);
      this.index = 0;
      this.show(ui);
    });
  }

  private mount(): Promise<ShadowRootContentScriptUi<void>> {
    this.uiPromise ??= createShadowRootUi(this.deps.ctx, {
      name: 'counterpoint-popover',
      position: 'inline',
      anchor: 'body',
      append: 'last',
      mode: import.meta.env.MODE === 'e2e' ? 'open' : 'closed',
      inheritStyles: true,
      css: cardCss,
      onMount: () => undefined,
    }).then((ui) => {
      this.ui = ui;
      const host = ui.shadowHost;
      host.setAttribute('popover', 'manual');
      host.setAttribute('data-counterpoint', 'off');
      const opts = { signal: this.deps.ctx.signal };
      host.addEventListener('pointerenter', () => this.deps.onCardPointer(true), opts);
      host.addEventListener('pointerleave', () => this.deps.onCardPointer(false), opts);
      host.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          this.close(true);
        }
      }, opts);
      return ui;
    });
    return this.uiPromise;
  }

  private show(ui: ShadowRootContentScriptUi<void>): void {
    const mention = this.mention;
    if (!mention) return;
    const host = ui.shadowHost;
    // Inside the page's top-layer element, if any, so the card is neither hidden nor inert.
    const container = document.fullscreenElement ?? document.querySelector('dialog:modal') ?? document.body;
    if (host.parentNode !== container || !host.isConnected) {
      container.append(host);
    }
    if (!host.isConnected) ui.mount();
    try {
      if (!host.matches(':popover-open')) host.showPopover();
    } catch {
      // Older engines: fixed positioning with the top z-index still applies.
    }
    this.shown = true;
    this.renderCard(ui);
  }

  private renderCard(ui: ShadowRootContentScriptUi<void>): void {
    const mention = this.mention;
    if (!mention) return;
    const topic = this.deps.topics().find((x) => x.id === mention.topicId);
    const topicName = topic?.name ?? mention.topicId;
    const card = this.cards[this.index];
    render(
      <div class="cp-float" ref={(el) => void (el && this.place(el, mention))}>
        <Card
          topicName={topicName}
          cards={this.cards}
          index={this.index}
          mentionText={mention.text}
          focusOnOpen={this.focusOnOpen}
          onStep={(delta) => {
            this.index = (this.index + delta + this.cards.length) % this.cards.length;
            this.renderCard(ui);
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
          onOpenSummary={() => this.deps.openSummary()}
        />
        <div class="cp-sr" role="status" aria-live="polite">
          {card && this.announce(card.question, topicName)}
        </div>
      </div>,
      ui.uiContainer,
    );
  }

  /** One polite announcement per opened card, not one per render. */
  private announce(question: string, topicName: string): string {
    const text = t('cardAnnounce', [topicName, question]);
    if (text === this.lastAnnounced) return text;
    this.lastAnnounced = text;
    return text;
  }

  private place(floating: HTMLElement, mention: Mention): void {
    this.stopAutoUpdate?.();
    const reference = {
      getBoundingClientRect: () => toLiveRange(mention.range)?.getBoundingClientRect() ?? new DOMRect(),
      getClientRects: () => toLiveRange(mention.range)?.getClientRects() ?? ([] as unknown as DOMRectList),
      contextElement: mention.startNode.parentElement ?? undefined,
    };
    const update = () =>
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
    this.stopAutoUpdate = autoUpdate(reference, floating, update, { animationFrame: false });
  }

  /** Closes the card. With `restoreFocus`, focus goes back where it was before the keyboard opened it. */
  close(restoreFocus: boolean): void {
    if (!this.mention) return;
    this.mention = null;
    this.shown = false;
    this.stopAutoUpdate?.();
    this.stopAutoUpdate = null;
    this.lastAnnounced = '';
    const ui = this.ui;
    if (ui) {
      render(null, ui.uiContainer);
      try {
        if (ui.shadowHost.matches(':popover-open')) ui.shadowHost.hidePopover();
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
    this.ui?.remove();
  }
}
