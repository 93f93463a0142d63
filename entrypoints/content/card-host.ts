/**
 * The card, as the content script sees it: a stand-in that holds none of the
 * card's code. Preact, the Card view and the positioning library are a bundle
 * of their own (entrypoints/card), added to a frame by the background the
 * first time a card is about to open there, so the script every frame
 * evaluates stays small. Loading starts when the pointer first rests on a
 * mention, and is usually done before the hover delay is.
 */
import type { CardView, TopicSummary } from '@/lib/protocol';
import type { CardHost } from './hover';
import type { Lifetime } from './lifetime';
import type { Mention } from './scanner';

/** Where the card bundle leaves its factory: a global of the extension's own world, out of a page's reach. */
export const CARD_UI_KEY = '__counterpointCardUi';

export interface CardDeps {
  life: Lifetime;
  topics: () => TopicSummary[];
  loadCards: (topicId: string) => Promise<CardView[]>;
  delayMs: () => number;
  onCardPointer: (inside: boolean) => void;
  onClosed: () => void;
  muteTopic: (topicId: string) => void;
  muteSite: () => void;
  openSummary: () => void;
  openCompanion: () => void;
}

/** What the card bundle makes. */
export interface CardUi extends CardHost {
  /** The elements it added to the page (its host), left out of every scan. */
  elements(): Element[];
  /** The open card's mention was replaced by an identical one (a rescan). */
  rebind(mention: Mention): void;
  destroy(): void;
}

export type CardUiFactory = (deps: CardDeps) => CardUi;

export class LazyCard implements CardHost {
  private ui: CardUi | null = null;
  private loading: Promise<CardUi | null> | null = null;
  private pending: { mention: Mention; via: 'pointer' | 'keyboard' | 'click' } | null = null;

  constructor(
    private readonly deps: CardDeps,
    /** Asks for the card bundle to be added to this frame; true when it was. */
    private readonly inject: () => Promise<boolean>,
  ) {}

  delayMs(): number {
    return this.deps.delayMs();
  }

  /** Starts loading the card's code, ahead of need. */
  prepare(): void {
    void this.ready();
  }

  open(mention: Mention, via: 'pointer' | 'keyboard' | 'click'): void {
    if (this.ui) {
      this.ui.open(mention, via);
      return;
    }
    this.pending = { mention, via };
    void this.ready().then((ui) => {
      const wanted = this.pending;
      this.pending = null;
      if (ui && wanted) ui.open(wanted.mention, wanted.via);
    });
  }

  close(restoreFocus: boolean): void {
    this.pending = null;
    this.ui?.close(restoreFocus);
  }

  pin(): void {
    if (this.pending) this.pending = { ...this.pending, via: 'click' };
    this.ui?.pin();
  }

  isPinned(): boolean {
    if (this.pending) return this.pending.via !== 'pointer';
    return this.ui?.isPinned() ?? false;
  }

  isOpen(): boolean {
    return this.pending !== null || (this.ui?.isOpen() ?? false);
  }

  current(): Mention | null {
    return this.pending?.mention ?? this.ui?.current() ?? null;
  }

  owns(node: Node): boolean {
    return this.ui?.owns(node) ?? false;
  }

  elements(): Element[] {
    return this.ui?.elements() ?? [];
  }

  rebind(mention: Mention): void {
    if (this.pending) this.pending = { ...this.pending, mention };
    this.ui?.rebind(mention);
  }

  destroy(): void {
    this.pending = null;
    this.ui?.destroy();
    this.ui = null;
  }

  private ready(): Promise<CardUi | null> {
    this.loading ??= (async () => {
      const global = globalThis as unknown as Record<string, CardUiFactory | undefined>;
      if (!global[CARD_UI_KEY] && !(await this.inject())) {
        this.loading = null;
        return null;
      }
      const factory = global[CARD_UI_KEY];
      if (!factory) {
        this.loading = null;
        return null;
      }
      this.ui = factory(this.deps);
      return this.ui;
    })();
    return this.loading;
  }
}
