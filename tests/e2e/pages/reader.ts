/**
 * The page a reader is on, as the tests see it: its highlights (read through
 * the e2e build's probe, since highlight names are random per page), the card,
 * the pointer, and the page's own markup and layout.
 *
 * Functions passed to `tab.evaluate` run inside the page: they must be
 * self-contained (no imports, no outer names).
 */
import type { Tab } from '../harness/browsers';
import { until } from '../harness/until';

export interface CardState {
  open: boolean;
  cardId: string | null;
  text: string;
  rect: { left: number; top: number; right: number; bottom: number } | null;
  viewport: { width: number; height: number };
}

/** The card host's selector in the e2e build (release builds carry no such attribute). */
export const CARD_HOST = '[data-counterpoint-test="card"]';

/** Asks the content script's probe (entrypoints/content/app.ts) in the page's top frame. */
export function probe<T>(tab: Tab, op: 'names' | 'emphasis' | 'stats' | 'call', arg?: unknown): Promise<T> {
  return tab.evaluate(
    ({ op, arg }) =>
      new Promise<T>((done, fail) => {
        const pending = new Map<string, 'ping' | 'answer'>();
        // Recorded before the dispatch: the reply can arrive inside it.
        const ask = (kind: 'ping' | 'answer', what: string, value?: unknown) => {
          const id = Math.random().toString(36).slice(2);
          pending.set(id, kind);
          window.dispatchEvent(new CustomEvent('counterpoint-e2e', { detail: JSON.stringify({ id, op: what, arg: value }) }));
        };
        let answered = false;
        const timer = setTimeout(() => {
          stop();
          fail(new Error(`the content script did not answer the ${op} probe`));
        }, 5000);
        const stop = () => {
          clearInterval(retry);
          clearTimeout(timer);
          window.removeEventListener('counterpoint-e2e-reply', on);
        };
        const on = (e: Event) => {
          const reply = JSON.parse(String((e as CustomEvent<string>).detail)) as { id: string; value: T };
          const kind = pending.get(reply.id);
          if (!kind || answered) return;
          if (kind === 'answer') {
            answered = true;
            stop();
            done(reply.value);
          } else {
            // The script is listening: now the call, which has effects, goes out once.
            clearInterval(retry);
            pending.clear();
            ask('answer', op, arg);
          }
        };
        // The content script may not be listening yet (it starts when the
        // document is idle), so ask again every 50 ms until it answers. A read
        // is simply asked again; a call waits for a read to come back first.
        const send = () => {
          if (op === 'call') ask('ping', 'stats');
          else ask('answer', op, arg);
        };
        window.addEventListener('counterpoint-e2e-reply', on);
        // Started before the first ask: a reply can arrive inside dispatchEvent, and stop() clears it.
        const retry = setInterval(send, 50);
        send();
      }),
    { op, arg },
  );
}

export class ReaderPage {
  constructor(readonly tab: Tab) {}

  /** Our highlight names by topic id. */
  names(): Promise<Record<string, string>> {
    return probe(this.tab, 'names');
  }

  /**
   * The rules that draw our highlights now, one per line: those for the
   * names our full and emphasis highlights are registered under (the
   * stylesheet holds every look; a highlight shows one by its name).
   * Forced-colours rules are left out.
   */
  async drawnRules(): Promise<string> {
    const [names, emphasis] = await Promise.all([this.names(), probe<Record<string, string>>(this.tab, 'emphasis')]);
    return this.tab.evaluate(
      (names) => {
        const rules = [...document.adoptedStyleSheets].flatMap((s) => [...s.cssRules]).filter((r) => r instanceof CSSStyleRule);
        return rules
          .filter((r) => names.some((name) => r.selectorText.endsWith(`::highlight(${name})`)))
          .map((r) => r.cssText)
          .join('\n');
      },
      [...Object.values(names), ...Object.values(emphasis)],
    );
  }

  /** Highlighted text per topic id. */
  async highlights(): Promise<Record<string, string[]>> {
    const names = await this.names().catch(() => ({}));
    return this.tab.evaluate((names) => {
      const out: Record<string, string[]> = {};
      for (const [topic, name] of Object.entries(names)) {
        const h = CSS.highlights.get(name);
        out[topic] = h
          ? [...h].map((r) => {
              const live = document.createRange();
              live.setStart(r.startContainer, r.startOffset);
              live.setEnd(r.endContainer, r.endOffset);
              return live.toString();
            })
          : [];
      }
      return out;
    }, names);
  }

  /** All highlighted texts, whatever the topic. */
  async texts(): Promise<string[]> {
    return Object.values(await this.highlights()).flat();
  }

  async topicTexts(topicId: string): Promise<string[]> {
    return (await this.highlights())[topicId] ?? [];
  }

  /** Number of ranges in our highlights. */
  async rangeCount(): Promise<number> {
    const names = Object.values(await this.names().catch(() => ({})));
    return this.tab.evaluate((names) => names.reduce((n, name) => n + (CSS.highlights.get(name)?.size ?? 0), 0), names);
  }

  /** How many of our ranges start or end inside elements matching `selector`. */
  async rangesInside(selector: string): Promise<number> {
    const names = Object.values(await this.names().catch(() => ({})));
    return this.tab.evaluate(
      ({ names, selector }) => {
        const els = [...document.querySelectorAll(selector)];
        let n = 0;
        for (const name of names) {
          for (const r of CSS.highlights.get(name) ?? []) {
            if (els.some((el) => el.contains(r.startContainer) || el.contains(r.endContainer))) n++;
          }
        }
        return n;
      },
      { names, selector },
    );
  }

  /** The elements (matching `selector`) that hold at least one of our ranges. */
  async blocksWithHighlights(selector: string): Promise<number> {
    const names = Object.values(await this.names().catch(() => ({})));
    return this.tab.evaluate(
      ({ names, selector }) => {
        const seen = new Set<Element>();
        for (const name of names) {
          for (const r of CSS.highlights.get(name) ?? []) {
            const el = r.startContainer.parentElement?.closest(selector);
            if (el) seen.add(el);
          }
        }
        return seen.size;
      },
      { names, selector },
    );
  }

  /** Waits until the page has at least `minimum` highlights and the set stops changing. */
  async settled(minimum = 1): Promise<string[]> {
    let previous = '';
    let stable = 0;
    return until(async () => {
      const texts = await this.texts();
      const key = JSON.stringify(texts);
      stable = key === previous ? stable + 1 : 0;
      previous = key;
      return texts.length >= minimum && stable >= 3 ? texts : null;
    }, `at least ${minimum} highlight(s)`);
  }

  /**
   * Scrolls the `nth` occurrence of `text` (inside an element whose text
   * includes `near`, if given) to the middle of the viewport and returns the
   * centre of its first line box, in viewport coordinates.
   */
  pointAt(text: string, near = '', nth = 0): Promise<{ x: number; y: number } | null> {
    return this.tab.evaluate(
      ({ text, near, nth }) => {
        let seen = 0;
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
          let from = 0;
          for (;;) {
            const i = n.data.indexOf(text, from);
            if (i < 0) break;
            from = i + 1;
            const block = n.parentElement?.closest('p, li, h1, h2, h3, td, div, dd, pre');
            if (near && !(block?.textContent ?? '').includes(near)) continue;
            if (seen++ < nth) continue;
            const range = document.createRange();
            range.setStart(n, i);
            range.setEnd(n, i + text.length);
            (n.parentElement as HTMLElement).scrollIntoView({ block: 'center', behavior: 'instant' });
            const r = range.getClientRects()[0] ?? range.getBoundingClientRect();
            return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
          }
        }
        return null;
      },
      { text, near, nth },
    );
  }

  /** The card as the reader sees it (the e2e build opens its shadow root). */
  card(): Promise<CardState> {
    return this.tab.evaluate((selector) => {
      const host = document.querySelector(selector);
      const card = host?.shadowRoot?.querySelector('.cp-card') as HTMLElement | null | undefined;
      let open: boolean;
      try {
        open = !!host && !!card && host.matches(':popover-open');
      } catch {
        open = !!card;
      }
      const r = card?.getBoundingClientRect();
      return {
        open,
        cardId: card?.getAttribute('data-card-id') ?? null,
        text: card?.textContent ?? '',
        rect: r ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null,
        viewport: { width: innerWidth, height: innerHeight },
      };
    }, CARD_HOST);
  }

  /** Waits for an open card (with content) and returns it. */
  async openCard(what = 'the card'): Promise<CardState> {
    await until(async () => {
      const s = await this.card();
      return s.open && s.cardId ? s : null;
    }, what);
    // Then at rest: the same box 60 ms apart (placement settles over a frame
    // or two as the card measures itself, and it slides 2 px in), so a test
    // that clicks inside it hits what it aimed at. Timers, not animation
    // frames: a tab in the background gets no frames in Firefox.
    await until(
      () =>
        this.tab.evaluate(async (selector) => {
          const box = () => {
            const r = document.querySelector(selector)?.shadowRoot?.querySelector('.cp-card')?.getBoundingClientRect();
            return r ? [r.left, r.top, r.width, r.height].join() : null;
          };
          const a = box();
          await new Promise((done) => setTimeout(done, 60));
          return a !== null && a === box();
        }, CARD_HOST),
      `${what} at rest`,
    );
    return this.card();
  }

  /** Hovers a mention the way a reader does (approach, then rest) and waits for its card. */
  async hover(text: string, near = '', nth = 0): Promise<CardState> {
    const p = await this.pointAt(text, near, nth);
    if (!p) throw new Error(`"${text}" near "${near}" not found on the page`);
    const size = await this.tab.evaluate(() => ({ w: innerWidth, h: innerHeight }));
    const clamp = (v: number, max: number) => Math.min(Math.max(v, 1), max - 1);
    await this.tab.move(clamp(p.x - 30, size.w), clamp(p.y + 40 > size.h - 2 ? p.y - 40 : p.y + 40, size.h));
    await this.tab.move(p.x, p.y, 5);
    return this.openCard(`the card for "${text}"`);
  }

  async waitClosed(): Promise<void> {
    await until(async () => !(await this.card()).open, 'the card to close');
  }

  /** Esc, then wait for the card to go. */
  async closeCard(): Promise<void> {
    await this.tab.press('Escape');
    await this.waitClosed();
  }

  /** Number of our card hosts in the page. */
  hostCount(): Promise<number> {
    return this.tab.evaluate((selector) => document.querySelectorAll(selector).length, CARD_HOST);
  }

  /** The content script's own work so far: busy time, longest slice, slices. */
  workStats(): Promise<{ busyMs: number; longestMs: number; slices: number }> {
    return probe(this.tab, 'stats');
  }

  /** Sends a message to the background from the page's content script. */
  fromContentScript<T = unknown>(message: object): Promise<T> {
    return probe(this.tab, 'call', message);
  }

  /**
   * The page's markup as a string, with our card host left out (the live page
   * is not touched). With `sortForeignScripts`, <script> elements loading from
   * another origin are listed, sorted, at the end: pages whose loaders insert
   * such scripts as earlier ones fail (every foreign request is refused) put
   * them in a timing-dependent order.
   */
  markup(sortForeignScripts = false): Promise<string> {
    return this.tab.evaluate(
      ({ sortForeignScripts, selector }) => {
        const copy = document.documentElement.cloneNode(true) as Element;
        for (const host of copy.querySelectorAll(selector)) host.remove();
        if (!sortForeignScripts) return copy.outerHTML;
        const foreign: string[] = [];
        for (const script of copy.querySelectorAll('script[src]')) {
          const src = new URL(script.getAttribute('src')!, location.href);
          if (src.origin === location.origin) continue;
          foreign.push(script.outerHTML);
          script.remove();
        }
        return `${copy.outerHTML}\n<!-- foreign scripts -->\n${foreign.sort().join('\n')}`;
      },
      { sortForeignScripts, selector: CARD_HOST },
    );
  }

  /** Every element's box in document order, rounded to 0.5 px, our card host and its subtree left out. */
  boxes(): Promise<string[]> {
    return this.tab.evaluate((selector) => {
      const half = (n: number) => Math.round(n * 2) / 2;
      const out: string[] = [];
      for (const el of document.querySelectorAll('*')) {
        if (el.closest(selector)) continue;
        const r = el.getBoundingClientRect();
        out.push(`${el.tagName} ${half(r.left)} ${half(r.top)} ${half(r.width)} ${half(r.height)}`);
      }
      return out;
    }, CARD_HOST);
  }

  /** Waits for the load event, two frames and then `ms` of quiet. */
  async loadedAndQuiet(ms = 300): Promise<void> {
    await until(() => this.tab.evaluate(() => document.readyState === 'complete'), 'the load event', 30_000);
    // A hidden tab may get no frames: do not wait for them longer than a second.
    await this.tab.evaluate(
      () =>
        new Promise<void>((done) => {
          requestAnimationFrame(() => requestAnimationFrame(() => done()));
          setTimeout(done, 1000);
        }),
    );
    await new Promise((r) => setTimeout(r, ms));
  }
}
