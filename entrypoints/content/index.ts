/**
 * Counterpoint's content script.
 *
 *   storage.local[termIndex] ──┐          storage.sync (settings) ──┐
 *                              ▼                                     ▼
 *   page DOM ──► collect (TreeWalker) ──► match (lib/matcher) ──► paint (CSS highlights)
 *        ▲                                                              │
 *        └── MutationObserver (queued, per block) ◄─────────────────────┤
 *                                                                       ▼
 *   pointer ──► hover (hit-test, intent) ──► popover (Preact, shadow root) ◄── cards (background)
 *   findings ──► background (badge) · popup (via tabs.sendMessage)
 *
 * Everything that holds a listener or touches the page is created here and torn
 * down through `ctx` when the extension is updated, reloaded or removed.
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import highlightCss from './highlights.css?inline';
import './highlights.css';
import type { CardView, PageFindings, TermIndex, ToContent } from '@/lib/protocol';
import { enabledTopics, isSiteOff } from '@/lib/settings';
import { loadSettings, watchSettings } from '@/lib/settings-store';
import { callBackground } from '@/lib/messaging';
import { pageOptsOut } from './collect';
import { HoverController, rangeRect } from './hover';
import { Painter, styleShadowRoot } from './painter';
import { Popover } from './popover';
import { Scanner } from './scanner';
import { sliceStats } from './schedule';

const INDEX_KEY = 'termIndex';

export default defineContentScript({
  matches: ['<all_urls>'],
  allFrames: true,
  matchAboutBlank: true,
  runAt: 'document_idle',
  cssInjectionMode: 'manifest',
  main(ctx) {
    if (!Painter.supported()) return;
    if (pageOptsOut(document)) {
      answerOptedOut(ctx);
      return;
    }
    void start(ctx);
  },
});

/**
 * End-to-end build only (compiled out of release builds): lets a test send any
 * message to the background from this content script's own context, to prove
 * the background refuses writes from content scripts.
 */
function exposeTestProbe(ctx: ContentScriptContext): void {
  ctx.addEventListener(window, 'counterpoint-e2e-stats', () => {
    window.dispatchEvent(new CustomEvent('counterpoint-e2e-reply', { detail: JSON.stringify(sliceStats) }));
  });
  ctx.addEventListener(window, 'counterpoint-e2e-call', (event) => {
    const message = JSON.parse(String((event as CustomEvent<string>).detail)) as unknown;
    void browser.runtime.sendMessage(message).then(
      (reply) => window.dispatchEvent(new CustomEvent('counterpoint-e2e-reply', { detail: JSON.stringify(reply) })),
      (error: unknown) => window.dispatchEvent(new CustomEvent('counterpoint-e2e-reply', { detail: JSON.stringify({ ok: false, error: String(error) }) })),
    );
  });
}

/** On a page that opted out, only tell the popup so (instead of looking absent). */
function answerOptedOut(ctx: ContentScriptContext): void {
  if (window !== window.top) return;
  const onMessage = (message: unknown): Promise<unknown> | undefined => {
    if ((message as { type?: string })?.type !== 'getFindings') return undefined;
    const findings: PageFindings = { state: 'opted-out', url: location.href, total: 0, byTopic: {}, findings: [], capped: false };
    return Promise.resolve({ ok: true, value: findings });
  };
  browser.runtime.onMessage.addListener(onMessage);
  ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));
}

async function start(ctx: ContentScriptContext): Promise<void> {
  let settings = await loadSettings();
  let index = await loadIndex();
  if (!index || ctx.isInvalid) return;

  const painter = new Painter(index.topics.map((t) => t.id), settings.topicStyles);
  const scanner = new Scanner(document, painter);
  scanner.onShadowRoot = (root) => styleShadowRoot(root, highlightCss);
  const cardCache = new Map<string, Promise<CardView[]>>();
  let siteOff = false;

  const popover = new Popover({
    ctx,
    topics: () => index?.topics ?? [],
    loadCards: (topicId) => {
      let cached = cardCache.get(topicId);
      if (!cached) {
        cached = callBackground('getCards', { topicId }).then((r) => (r.ok ? r.value : []));
        cardCache.set(topicId, cached);
        void cached.then((cards) => cards.length || cardCache.delete(topicId));
      }
      return cached;
    },
    delayMs: () => settings.hoverDelayMs,
    onCardPointer: (inside) => hover.cardPointer(inside),
    onClosed: () => hover.forget(),
    muteTopic: (topicId) => void callBackground('muteTopic', { topicId }),
    muteSite: () => void callBackground('muteSite', {}),
    openSummary: () => void callBackground('openSummary', {}),
  });
  const hover = new HoverController(document, scanner, popover, ctx.signal);

  let reportTimer: number | undefined;
  scanner.onChange = () => {
    painter.repair();
    if (window !== window.top) return;
    clearTimeout(reportTimer);
    reportTimer = ctx.setTimeout(() => {
      const { total, byTopic } = scanner.findings();
      void callBackground('reportFindings', { total, byTopic });
    }, 300);
  };

  const apply = async () => {
    siteOff = !settings.enabled || isSiteOff(settings, location.hostname);
    painter.setStyles(settings.topicStyles);
    if (siteOff) {
      popover.close(false);
      scanner.destroy();
      scanner.onChange();
      return;
    }
    await scanner.configure(index!, enabledTopics(settings, index!.topics.map((t) => t.id)));
  };

  const stopWatching = watchSettings((next) => {
    settings = next;
    popover.close(false);
    void apply();
  });
  const onStorage = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area !== 'local' || !changes[INDEX_KEY]?.newValue) return;
    index = changes[INDEX_KEY].newValue as TermIndex;
    cardCache.clear();
    void apply();
  };
  browser.storage.onChanged.addListener(onStorage);

  const onMessage = (message: unknown): Promise<unknown> | undefined => {
    const msg = message as { type?: keyof ToContent; index?: number; direction?: 1 | -1 };
    switch (msg?.type) {
      case 'getFindings':
        return Promise.resolve({ ok: true, value: pageFindings() });
      case 'revealMention':
        reveal(Number(msg.index));
        return Promise.resolve({ ok: true, value: null });
      case 'stepMention':
        step(msg.direction === -1 ? -1 : 1);
        return Promise.resolve({ ok: true, value: null });
      default:
        return undefined;
    }
  };
  browser.runtime.onMessage.addListener(onMessage);

  const pageFindings = (): PageFindings => {
    const { findings, byTopic, total } = scanner.findings();
    return {
      state: siteOff ? 'off-site' : scanner.state,
      url: location.href,
      total,
      byTopic,
      findings,
      capped: scanner.capped,
    };
  };

  let cursor = -1;
  const step = (direction: 1 | -1) => {
    const list = scanner.mentions();
    if (!list.length) return;
    const open = popover.current();
    const at = open ? list.indexOf(open) : cursor;
    cursor = (at + direction + list.length) % list.length;
    reveal(cursor);
  };
  const reveal = (i: number) => {
    const mention = scanner.mentions()[i];
    if (!mention) return;
    cursor = i;
    const el = mention.startNode.parentElement;
    const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    let opened = false;
    const openCard = () => {
      if (opened || ctx.isInvalid) return;
      opened = true;
      window.removeEventListener('scrollend', openCard, true);
      flash(mention.range);
      popover.open(mention, 'keyboard');
    };
    const rect = rangeRect(mention.range);
    if (rect && rect.top >= 0 && rect.bottom <= window.innerHeight) {
      openCard();
      return;
    }
    // Open once the page has scrolled there (a smooth scroll can take a second
    // on a long page); the timer covers engines or containers that never send scrollend.
    if (!reduce) window.addEventListener('scrollend', openCard, true);
    el?.scrollIntoView({ block: 'center', behavior: reduce ? 'auto' : 'smooth' });
    if (reduce) openCard();
    else ctx.setTimeout(openCard, 1500);
  };

  // Once a second while the tab is visible: put back highlight registrations
  // the page removed (CSS.highlights.clear() with no DOM change to trigger a
  // rescan). ctx.setInterval also checks the context, which is how an orphaned
  // script notices an extension reload or update and tears itself down.
  ctx.setInterval(() => {
    if (document.visibilityState === 'visible') painter.repair();
  }, 1000);
  if (import.meta.env.MODE === 'e2e') exposeTestProbe(ctx);
  ctx.addEventListener(window, 'wxt:locationchange', () => void apply());
  ctx.onInvalidated(() => {
    stopWatching();
    browser.storage.onChanged.removeListener(onStorage);
    browser.runtime.onMessage.removeListener(onMessage);
    clearTimeout(reportTimer);
    popover.destroy();
    scanner.destroy();
    painter.destroy();
  });

  await apply();
}

/** Reads the published index; asks (and so wakes) the background only when it is missing. */
async function loadIndex(): Promise<TermIndex | undefined> {
  const stored = (await browser.storage.local.get(INDEX_KEY))[INDEX_KEY] as TermIndex | undefined;
  if (stored) return stored;
  const reply = await callBackground('getIndex', {});
  return reply.ok ? reply.value : undefined;
}

/** A brief extra highlight on a mention the reader jumped to. */
function flash(range: AbstractRange): void {
  const name = 'counterpoint-flash';
  const h = new Highlight(range);
  CSS.highlights.set(name, h);
  setTimeout(() => {
    if (CSS.highlights.get(name) === h) CSS.highlights.delete(name);
  }, 1200);
}
