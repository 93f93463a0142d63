/**
 * The content script's parts, wired together:
 *
 *   storage.local[termIndex] ──┐          storage.sync (settings) ──┐
 *                              ▼                                     ▼
 *   page DOM ──► Scanner (collect ─► match ─► keep, in order) ──► Painter (CSS highlights)
 *        ▲            │                                               │
 *        └─ MutationObserver                                          │
 *                     ▼                                               ▼
 *   pointer ──► HoverController (hit-test, intent) ──► LazyCard ─► card bundle (Card, closed shadow root) ◄── cards
 *                                                        (added to the frame by the background on first use)
 *   commands, popup ──► KeyboardNavigator ──┘
 *   findings ──► background (badge) · popup (tabCall: getFindings)
 *
 * Every listener and timer goes through `ctx`, so an updated, reloaded or
 * removed extension leaves nothing behind in open tabs.
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { contentCall, tabReceiver } from '@/lib/messaging';
import type { CardView, PageFindings, TabHandlers, TermIndex } from '@/lib/protocol';
import { enabledTopics, isSiteOff, normalizeSite, type Settings } from '@/lib/settings';
import { loadSettings, watchSettings } from '@/lib/settings-store';
import { parseTermIndex, TERM_INDEX_KEY } from '@/lib/term-index';
import { pageOptsOut, textArrives } from './frame-text';
import { HoverController } from './hover';
import { KeyboardNavigator } from './keyboard';
import { Painter } from './painter';
import { findEarly, pageSeed } from './sheet';
import { LazyCard } from './card-host';
import { Scanner } from './scanner';
import { observeSlices, sliceStatsRecorder, yieldToPage } from './schedule';

/** How long findings settle before the badge is told (a page adding text in bursts reports once). */
const REPORT_DELAY_MS = 300;
/** How long scrolling must pause before a capped page's painted window moves. */
const FOLLOW_DELAY_MS = 200;

export async function run(ctx: ContentScriptContext): Promise<void> {
  // WXT stops a running script when a newer one announces itself with a
  // document event. A page can send that event too; only stop if this script
  // really lost its extension (reloaded, updated or removed).
  ctx.verifyScriptStartedEvent = () => browser.runtime?.id == null;
  if (!Painter.supported()) return;
  // Highlight names: secret to the page, shared with a newer instance of this script in this document.
  const seed = pageSeed(browser.runtime.getURL('/'));
  // In the top document, the highlight stylesheet went in as the page
  // started loading (entrypoints/sheet.ts); it is taken over here,
  // or taken out if nothing will be painted. Frames get theirs with their
  // first highlight, unless an earlier instance of this script (before an
  // extension update) left one under the same seed: that one is taken over
  // too, so a frame never holds two. Looked for only once it matters (its
  // names are hashed from the seed, a cost every frame would pay).
  let early: CSSStyleSheet | null | undefined;
  const earlySheet = () => (early === undefined ? (early = findEarly(document, seed)) : early);
  const dropEarly = () => {
    Painter.dropEarly(document, earlySheet());
    early = null;
  };
  const listen = (handlers: Partial<TabHandlers>) => {
    const receiver = tabReceiver(handlers);
    browser.runtime.onMessage.addListener(receiver);
    ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(receiver));
  };
  // The task that evaluated this script (its compile among it) ends here;
  // the start goes on in a task of its own.
  await yieldToPage();
  if (ctx.isInvalid) return dropEarly();
  if (pageOptsOut(document)) {
    dropEarly();
    // Only tell the popup so, instead of looking absent.
    if (window === window.top) listen({ getFindings: () => emptyFindings('opted-out') });
    return;
  }

  // A frame with next to no text (an ad, a button, an empty embed) costs
  // nothing more until it has some: no settings, no index, no matcher, no
  // look for an earlier sheet.
  if (window !== window.top && !(await textArrives(ctx, document))) return;

  // Both reads at once; then the rest of the start in a task of its own, so
  // checking the index (cold code, a few milliseconds) and building the
  // painter, the hover and the scanner never add up to one long task.
  const [loaded, read] = await Promise.all([loadSettings(), loadIndex()]);
  let settings: Settings = loaded;
  let index = read;
  if (!index || ctx.isInvalid) return dropEarly();
  await yieldToPage();
  if (ctx.isInvalid) return dropEarly();

  const topicIds = () => index!.topics.map((t) => t.id);
  const painter = new Painter(document, topicIds(), settings.topicStyles, seed, { sheet: earlySheet() });
  painter.setStyles(settings.topicStyles, settings.markEvery);
  const cardCache = new Map<string, Promise<CardView[]>>();
  const popover = new LazyCard(
    {
      life: ctx,
      topics: () => index?.topics ?? [],
      loadCards: (topicId) => {
        let cached = cardCache.get(topicId);
        if (!cached) {
          cached = contentCall('getCards', { topicId }).then((r) => (r.ok ? r.value : []));
          cardCache.set(topicId, cached);
          void cached.then((cards) => cards.length || cardCache.delete(topicId));
        }
        return cached;
      },
      delayMs: () => settings.hoverDelayMs,
      onCardPointer: (inside) => hover.cardPointer(inside),
      onClosed: () => hover.forget(),
      muteTopic: (topicId) => void contentCall('muteTopic', { topicId }),
      muteSite: () => void contentCall('muteSite', {}),
      openSummary: () => void contentCall('openSummary', {}),
      openCompanion: () => void contentCall('openCompanion', {}),
    },
    async () => (await contentCall('loadCard', {})).ok,
  );
  const scanner = new Scanner(document, painter, {
    // Never our own card's root (open in the e2e build, where a late-root sweep can meet it).
    onShadowRoot: (root) => popover.owns(root) || painter.styleRoot(root),
    isOwnUi: (node) => popover.owns(node),
    ownElements: () => popover.elements(),
    // A page that rewrote itself took our listeners with it (document.open()): listen again.
    onNewRoot: () => {
      hover.listen();
      listenToPage();
    },
  });
  const hover = new HoverController(ctx, document, scanner, popover, (range) => painter.owns(range));
  const keyboard = new KeyboardNavigator(ctx, scanner, painter, popover);
  let siteOff = false;

  let reportTimer: number | undefined;
  scanner.onChange = () => {
    painter.repair();
    // A rescan makes new mentions: the open card moves to its mention's successor, or closes.
    const open = popover.current();
    if (open && !scanner.isKept(open)) {
      const same = scanner.mentionsInNode(open.startNode)?.find((m) => m.start === open.start && m.end === open.end && m.topicId === open.topicId);
      if (same) popover.rebind(same);
      else popover.close(false);
    }
    if (window !== window.top) return;
    clearTimeout(reportTimer);
    reportTimer = ctx.setTimeout(() => void contentCall('reportFindings', { total: scanner.total() }), REPORT_DELAY_MS);
  };

  /**
   * Brings the page in line with the settings and the index: restyles in
   * place, and rescans only when what is matched changed (topics, the site
   * switch, the terms), never for the hover delay or a style.
   */
  let configured = '';
  const apply = async (force = false) => {
    siteOff = !settings.enabled || isSiteOff(settings, frameSite());
    painter.setStyles(settings.topicStyles, settings.markEvery);
    const enabled = enabledTopics(settings, topicIds());
    const key = siteOff ? 'off' : `${[...enabled].join(',')}|${index!.version}`;
    if (key === configured && !force) return;
    configured = key;
    if (siteOff) {
      popover.close(false);
      scanner.stop();
      // Nothing of ours stays on a page the reader turned us off for.
      painter.unstyle();
      scanner.onChange();
      return;
    }
    await scanner.configure(index!, enabled);
  };

  const stopWatching = watchSettings((next) => {
    settings = next;
    void apply();
  });
  const onStorage = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area !== 'local' || !(TERM_INDEX_KEY in changes)) return;
    const next = parseTermIndex(changes[TERM_INDEX_KEY]?.newValue);
    if (!next) return;
    // A new dataset (or the same one reloaded): cards are asked for afresh; the
    // page is rescanned only if the terms changed.
    const sameTerms = JSON.stringify(next.spec) === JSON.stringify(index!.spec) && JSON.stringify(next.topics) === JSON.stringify(index!.topics);
    cardCache.clear();
    if (sameTerms) {
      index = { ...next, version: index!.version };
      return;
    }
    index = next;
    void apply();
  };
  browser.storage.onChanged.addListener(onStorage);

  listen({
    getFindings: (): PageFindings => {
      const { findings, byTopic, total, reading } = scanner.findings();
      return { state: siteOff ? 'off-site' : scanner.state, url: location.href, total, byTopic, findings, capped: scanner.capped, reading };
    },
    revealMention: ({ index: i }) => {
      keyboard.reveal(i);
      return null;
    },
    stepMention: ({ direction }) => {
      keyboard.step(direction);
      return null;
    },
  });

  // On a page with more mentions than are painted, the painted window follows the reader.
  let followTimer: number | undefined;
  const follow = () => {
    if (!scanner.capped) return;
    clearTimeout(followTimer);
    followTimer = ctx.setTimeout(() => void scanner.paint(), FOLLOW_DELAY_MS);
  };
  const navigated = () => void apply(true);
  const listenToTests = import.meta.env.MODE === 'e2e' ? exposeTestProbe(ctx, painter) : undefined;
  // The same functions each time, so listening again (onNewRoot) adds nothing.
  const listenToPage = () => {
    ctx.addEventListener(window, 'scroll', follow, { passive: true, capture: true });
    ctx.addEventListener(window, 'wxt:locationchange', navigated);
    listenToTests?.();
  };
  listenToPage();

  // Once a second while the tab is visible: undo what a page did to our
  // highlights (cleared, replaced, added to) with no DOM change to notice.
  // ctx.setInterval also checks the context, which is how an orphaned script
  // notices an extension reload or update and tears itself down.
  // Also look again at what the page may have changed with no DOM change: hidden text shown, design mode.
  ctx.setInterval(() => {
    if (document.visibilityState !== 'visible') return;
    painter.repair();
    scanner.recheck();
  }, 1000);

  ctx.onInvalidated(() => {
    stopWatching();
    browser.storage.onChanged.removeListener(onStorage);
    popover.destroy();
    scanner.stop();
    painter.destroy();
  });

  await apply();
}

/**
 * The site this frame belongs to, for "off on this site": its origin, which
 * about:blank and srcdoc frames inherit from their parent (their location has
 * no host). An opaque origin (a sandboxed frame) falls back to its embedder.
 */
export function frameSite(): string {
  const own = normalizeSite(window.origin);
  if (own) return own;
  const ancestors = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  if (ancestors?.length) return normalizeSite(ancestors[0]!);
  return normalizeSite(document.referrer);
}

function emptyFindings(state: PageFindings['state']): PageFindings {
  return { state, url: location.href, total: 0, byTopic: {}, findings: [], capped: false, reading: null };
}

/**
 * Reads the published index, checking its shape first (a content script can
 * write storage.local too); asks (and so wakes) the background only when it is
 * missing or malformed.
 */
async function loadIndex(): Promise<TermIndex | undefined> {
  const stored = parseTermIndex((await browser.storage.local.get(TERM_INDEX_KEY))[TERM_INDEX_KEY]);
  if (stored) return stored;
  const reply = await contentCall('getIndex', {});
  return reply.ok ? (parseTermIndex(reply.value) ?? undefined) : undefined;
}

/**
 * End-to-end build only (compiled out of release builds): answers a test's
 * `counterpoint-e2e` events with this script's work figures, its highlight
 * names, or the reply to a message it sends to the background from this
 * content script's own context (to prove the background refuses writes from
 * content scripts). Each request carries an id its reply repeats. Returns
 * what starts listening (again, after the page rewrote itself).
 */
function exposeTestProbe(ctx: ContentScriptContext, painter: Painter): () => void {
  const { stats, observer } = sliceStatsRecorder();
  observeSlices(observer);
  const answer = (event: Event) => {
    const { id, op, arg } = JSON.parse(String((event as CustomEvent<string>).detail)) as { id: string; op: string; arg?: unknown };
    const reply = (value: unknown) => window.dispatchEvent(new CustomEvent('counterpoint-e2e-reply', { detail: JSON.stringify({ id, value }) }));
    if (op === 'stats') reply(stats);
    else if (op === 'names') reply(painter.names());
    else if (op === 'emphasis') reply(painter.emphasisNames());
    else if (op === 'call') void browser.runtime.sendMessage(arg).then(reply, (error: unknown) => reply({ ok: false, error: String(error) }));
  };
  return () => ctx.addEventListener(window, 'counterpoint-e2e', answer);
}
