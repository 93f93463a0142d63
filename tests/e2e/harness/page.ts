/**
 * What the tests ask of a page, run inside it. Each function here is passed to
 * `tab.evaluate`, so it must be self-contained: no imports, no outer names.
 */
import type { Tab } from './browsers';

export interface CardState {
  open: boolean;
  cardId: string | null;
  text: string;
  rect: { left: number; top: number; right: number; bottom: number } | null;
  viewport: { width: number; height: number };
}

/** Highlighted text per Counterpoint highlight name. */
export function highlights(tab: Tab): Promise<Record<string, string[]>> {
  return tab.evaluate(() => {
    const out: Record<string, string[]> = {};
    for (const [name, h] of CSS.highlights) {
      if (!name.startsWith('counterpoint-') || name === 'counterpoint-flash') continue;
      out[name] = [...(h as Highlight)].map((r) => {
        const live = document.createRange();
        live.setStart(r.startContainer, r.startOffset);
        live.setEnd(r.endContainer, r.endOffset);
        return live.toString();
      });
    }
    return out;
  });
}

/** All highlighted texts, whatever the topic. */
export async function highlightedTexts(tab: Tab): Promise<string[]> {
  return Object.values(await highlights(tab)).flat();
}

/** Highlighted texts of one topic (highlight names carry the topic's slot, so look them up by name). */
export async function topicTexts(tab: Tab, topicSlot: number): Promise<string[]> {
  const all = await highlights(tab);
  return Object.entries(all)
    .filter(([name]) => name.startsWith(`counterpoint-t${topicSlot}-`))
    .flatMap(([, texts]) => texts);
}

/**
 * Scrolls the `nth` occurrence of `text` (inside an element whose text
 * includes `near`, if given) to the middle of the viewport and returns the
 * centre of its first line box, in viewport coordinates.
 */
export function pointAt(tab: Tab, text: string, near = '', nth = 0): Promise<{ x: number; y: number } | null> {
  return tab.evaluate(
    ({ text, near, nth }) => {
      let seen = 0;
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
        let from = 0;
        for (;;) {
          const i = n.data.indexOf(text, from);
          if (i < 0) break;
          from = i + 1;
          const block = n.parentElement?.closest('p, li, h1, h2, h3, td, div, dd');
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

/** The hover card as the reader sees it (the e2e build opens the shadow root). */
export function cardState(tab: Tab): Promise<CardState> {
  return tab.evaluate(() => {
    const host = document.querySelector('counterpoint-popover');
    const root = host?.shadowRoot;
    const card = root?.querySelector('.cp-card') as HTMLElement | null | undefined;
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
  });
}

/** Polls `check` until it returns a truthy value or the time runs out (then throws `what`). */
export async function waitUntil<T>(check: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | null | undefined | false;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last as T;
    await sleep(100);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 300)})`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the page has Counterpoint highlights and the set stops changing. */
export async function settled(tab: Tab, minimum = 1): Promise<string[]> {
  let previous = '';
  let stable = 0;
  return waitUntil(async () => {
    const texts = await highlightedTexts(tab);
    const key = JSON.stringify(texts);
    stable = key === previous ? stable + 1 : 0;
    previous = key;
    return texts.length >= minimum && stable >= 3 ? texts : null;
  }, `at least ${minimum} highlight(s)`, 15_000);
}

/** Hovers a mention and waits for the card. */
export async function hoverOpen(tab: Tab, text: string, near = '', nth = 0): Promise<CardState> {
  const p = await pointAt(tab, text, near, nth);
  if (!p) throw new Error(`"${text}" near "${near}" not found on the page`);
  // Approach from just beside the mention (inside the viewport), then rest on it.
  const size = await tab.evaluate(() => ({ w: innerWidth, h: innerHeight }));
  const clamp = (v: number, max: number) => Math.min(Math.max(v, 1), max - 1);
  await tab.move(clamp(p.x - 30, size.w), clamp(p.y + 40 > size.h - 2 ? p.y - 40 : p.y + 40, size.h));
  await tab.move(p.x, p.y, 5);
  return waitUntil(async () => {
    const s = await cardState(tab);
    return s.open && s.cardId ? s : null;
  }, `the card for "${text}"`);
}

/**
 * The page's markup as a string, with any Counterpoint card host left out (the
 * live page is not touched). With `sortForeignScripts`, <script> elements
 * loading from another origin are taken out of their places and listed,
 * sorted, at the end: pages whose loaders insert such scripts as earlier ones
 * fail (every foreign request is refused) put them in a timing-dependent order.
 */
export function markupWithoutHost(tab: Tab, sortForeignScripts = false): Promise<string> {
  return tab.evaluate((sortForeignScripts) => {
    const copy = document.documentElement.cloneNode(true) as Element;
    for (const host of copy.querySelectorAll('counterpoint-popover')) host.remove();
    if (!sortForeignScripts) return copy.outerHTML;
    const foreign: string[] = [];
    for (const script of copy.querySelectorAll('script[src]')) {
      const src = new URL(script.getAttribute('src')!, location.href);
      if (src.origin === location.origin) continue;
      foreign.push(script.outerHTML);
      script.remove();
    }
    return `${copy.outerHTML}\n<!-- foreign scripts -->\n${foreign.sort().join('\n')}`;
  }, sortForeignScripts);
}

/**
 * Every element's box in document order, as "TAG left top width height"
 * rounded to 0.5 px; elements in or under a Counterpoint card host are left out.
 */
export function elementBoxes(tab: Tab): Promise<string[]> {
  return tab.evaluate(() => {
    const half = (n: number) => Math.round(n * 2) / 2;
    const out: string[] = [];
    for (const el of document.querySelectorAll('*')) {
      if (el.closest('counterpoint-popover')) continue;
      const r = el.getBoundingClientRect();
      out.push(`${el.tagName} ${half(r.left)} ${half(r.top)} ${half(r.width)} ${half(r.height)}`);
    }
    return out;
  });
}

/** How many Counterpoint highlight ranges start or end inside elements matching `selector`. */
export function rangesInside(tab: Tab, selector: string): Promise<number> {
  return tab.evaluate((selector) => {
    const els = [...document.querySelectorAll(selector)];
    let n = 0;
    for (const [name, h] of CSS.highlights) {
      if (!name.startsWith('counterpoint-') || name === 'counterpoint-flash') continue;
      for (const r of h as Highlight) {
        if (els.some((el) => el.contains(r.startContainer) || el.contains(r.endContainer))) n++;
      }
    }
    return n;
  }, selector);
}

/** Number of Counterpoint highlight ranges registered on the page. */
export function rangeCount(tab: Tab): Promise<number> {
  return tab.evaluate(() => {
    let n = 0;
    for (const [name, h] of CSS.highlights) if (name.startsWith('counterpoint-') && name !== 'counterpoint-flash') n += (h as Highlight).size;
    return n;
  });
}

/** Waits for the load event, two frames and then `ms` of quiet. */
export async function loadedAndQuiet(tab: Tab, ms = 300): Promise<void> {
  await waitUntil(() => tab.evaluate(() => document.readyState === 'complete'), 'the load event', 30_000);
  // A hidden tab may get no frames: do not wait for them longer than a second.
  await tab.evaluate(() => new Promise<void>((done) => {
    requestAnimationFrame(() => requestAnimationFrame(() => done()));
    setTimeout(done, 1000);
  }));
  await sleep(ms);
}
