/**
 * The reading companion: Counterpoint beside the article (Chromium's side
 * panel, Firefox's sidebar). It follows the active tab of its window and
 * stays open while the reader clicks in the page:
 *
 *   topics and counts ─► the card for the mention at the reader's place
 *   (updated as they scroll) ─► every mention in reading order, with its
 *   sentence; a click scrolls the page to it.
 *
 * It asks the tab's content script for its findings once a second while it is
 * visible (an infinite-scroll page adds mentions, the reader scrolls), and at
 * once when the tab changes or finishes loading. The card is the hover card's
 * own view, rendered in a shadow root with the card's stylesheet.
 */
import type { JSX } from 'preact';
import { render } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import cardCss from './card.css?inline';
import { Card } from './Card';
import { MentionText } from './Popup';
import { Timeline } from './Timeline';
import { rankCards } from '@/lib/cards';
import { pageCall, tabCall } from '@/lib/messaging';
import type { CardView, PageFindings, TopicSummary } from '@/lib/protocol';
import { normalizeSite } from '@/lib/settings';
import { loadSettings, saveSettings } from '@/lib/settings-store';
import { t } from '@/lib/i18n';
import { topicColour } from '@/lib/theme';

/** How often the companion asks the page while it is visible. */
export const POLL_MS = 1000;

type View = { kind: 'loading' } | { kind: 'no-tab' } | { kind: 'missing' } | { kind: 'page'; tabId: number; findings: PageFindings };

export function Companion({ tabParam }: { tabParam: number | null }): JSX.Element {
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [topics, setTopics] = useState<TopicSummary[]>([]);
  const [cards, setCards] = useState<Record<string, CardView[]>>({});
  // A mention the reader picked in the list holds until the page reports its place again.
  const [picked, setPicked] = useState<{ index: number; until: number } | null>(null);
  const [cardIndex, setCardIndex] = useState(0);
  const [cardHidden, setCardHidden] = useState(false);
  // A card opened from the timeline holds until the reader moves to another mention.
  const [fromTimeline, setFromTimeline] = useState<{ topicId: string; cardId: string } | null>(null);
  const [lower, setLower] = useState<'mentions' | 'timeline'>('mentions');
  const [width, setWidth] = useState(() => document.documentElement.clientWidth);
  useEffect(() => {
    const onResize = () => setWidth(document.documentElement.clientWidth);
    addEventListener('resize', onResize);
    return () => removeEventListener('resize', onResize);
  }, []);
  const tabRef = useRef<number | null>(tabParam);

  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async () => {
      clearTimeout(timer);
      if (tabParam === null) {
        const [tab] = await browser.tabs.query({ active: true, currentWindow: true }).catch(() => []);
        tabRef.current = tab?.id ?? null;
      }
      const tabId = tabRef.current;
      if (!alive) return;
      if (tabId === null) setView({ kind: 'no-tab' });
      else {
        const reply = await tabCall(tabId, 'getFindings', {}).catch(() => null);
        if (!alive || tabRef.current !== tabId) return;
        setView(reply?.ok ? { kind: 'page', tabId, findings: reply.value } : { kind: 'missing' });
      }
      if (alive && document.visibilityState === 'visible') timer = setTimeout(() => void ask(), POLL_MS);
    };
    const now = () => void ask();
    const onUpdated = (tabId: number, change: { status?: string }) => {
      if (tabId === tabRef.current && change.status === 'complete') now();
    };
    void ask();
    if (tabParam === null) browser.tabs.onActivated.addListener(now);
    browser.tabs.onUpdated.addListener(onUpdated);
    document.addEventListener('visibilitychange', now);
    return () => {
      alive = false;
      clearTimeout(timer);
      browser.tabs.onActivated.removeListener(now);
      browser.tabs.onUpdated.removeListener(onUpdated);
      document.removeEventListener('visibilitychange', now);
    };
  }, [tabParam]);

  const findings = view.kind === 'page' ? view.findings : null;
  const focus = picked && picked.until > Date.now() ? picked.index : (findings?.reading ?? null);
  const mention = focus === null ? undefined : findings?.findings[focus];

  const topicId = fromTimeline?.topicId ?? mention?.topicId;
  const sentence = mention?.sentence ?? '';
  const topicCards = topicId === undefined ? undefined : cards[topicId];
  // The cards of the topic on show, and for the timeline every topic's.
  const wanted = lower === 'timeline' ? topics.map((x) => x.id) : topicId === undefined ? [] : [topicId];
  const missing = wanted.filter((id) => !cards[id]?.length).join(' ');
  // The topics and the cards on show, asked again at every answer from the
  // page until they arrive: a call fails while the background is starting,
  // stopped or rebuilding its database, and one failure must not leave the
  // panel without its card for good. One call of each kind at a time.
  const asking = useRef(new Set<string>());
  useEffect(() => {
    const ask = <T,>(key: string, call: () => Promise<{ ok: true; value: T } | { ok: false }>, keep: (value: T) => void) => {
      if (asking.current.has(key)) return;
      asking.current.add(key);
      void call().then((r) => {
        asking.current.delete(key);
        if (r.ok) keep(r.value);
      });
    };
    if (!topics.length)
      ask(
        ' index',
        () => pageCall('getIndex', {}),
        (index) => setTopics(index.topics),
      );
    for (const id of missing ? missing.split(' ') : []) {
      ask(
        id,
        () => pageCall('getCards', { topicId: id }),
        (list) => setCards((all) => ({ ...all, [id]: list })),
      );
    }
  }, [view, topics.length, missing]);

  // From the timeline, the topic's cards in dataset order; else ranked for the sentence being read.
  const ranked = useMemo(
    () => (!topicCards ? [] : fromTimeline ? topicCards : rankCards(topicCards, sentence, sentence, mention?.text)),
    [topicCards, sentence, mention?.text, fromTimeline],
  );
  useEffect(() => {
    setCardIndex(0);
    setCardHidden(false);
    setFromTimeline(null);
  }, [mention?.index, mention?.sentence]);
  const allCards = useMemo(() => Object.values(cards).flat(), [cards]);

  if (view.kind === 'loading') return <main class="companion">{t('popupLoading')}</main>;
  if (view.kind === 'no-tab') return <main class="companion">{t('popupNoTab')}</main>;
  if (view.kind === 'missing') return <main class="companion">{t('popupMissing')}</main>;
  const f = view.findings;
  const ids = topics.map((x) => x.id);
  const reveal = (index: number) => {
    setPicked({ index, until: Date.now() + 2 * POLL_MS });
    void tabCall(view.tabId, 'revealMention', { index });
  };
  const topic = topics.find((x) => x.id === topicId);
  const openFromTimeline = (id: string, cardId: string) => {
    setFromTimeline({ topicId: id, cardId });
    setCardIndex(Math.max(0, cards[id]?.findIndex((c) => c.id === cardId) ?? 0));
    setCardHidden(false);
    document.querySelector('.companion')?.scrollTo({ top: 0 });
  };
  return (
    <main class="companion">
      <h1>{t('companionTitle')}</h1>
      {f.state === 'off-site' && <p class="note">{t('popupSiteOff')}</p>}
      {f.state === 'opted-out' && <p class="note">{t('popupOptedOut')}</p>}
      {f.state === 'scanning' && !f.total && <p class="note">{t('popupScanning')}</p>}
      {f.state === 'done' && !f.total && <p class="note">{t('popupNone')}</p>}
      {f.total > 0 && (
        <ul class="counts" aria-label={t('popupMentionsHeading', [String(f.total)])}>
          {topics
            .filter((x) => f.byTopic[x.id])
            .map((x) => (
              <li key={x.id}>
                <span class="swatch" style={{ background: topicColour(ids, x.id).mark }} aria-hidden="true" />
                {x.name} <span class="muted">{t('popupCount', [String(f.byTopic[x.id])])}</span>
              </li>
            ))}
        </ul>
      )}
      {(mention || fromTimeline) && topic && ranked.length > 0 && !cardHidden && (
        <section class="now" aria-labelledby="h-now">
          <h2 id="h-now">{t(fromTimeline ? 'companionFromTimeline' : 'companionNowReading')}</h2>
          <CardFrame>
            <Card
              topicName={topic.name}
              colour={topicColour(ids, topic.id)}
              cards={ranked}
              index={Math.min(cardIndex, ranked.length - 1)}
              mentionText={fromTimeline ? topic.name : (mention?.text ?? topic.name)}
              pinned={false}
              hint={false}
              onDismissHint={() => undefined}
              focusOnOpen={false}
              onStep={(delta) => setCardIndex((i) => (i + delta + ranked.length) % ranked.length)}
              onGoTo={(id) =>
                setCardIndex(
                  Math.max(
                    0,
                    ranked.findIndex((c) => c.id === id),
                  ),
                )
              }
              onMuteTopic={() => void pageCall('muteTopic', { topicId: topic.id })}
              onMuteSite={() => void muteSite(f.url)}
              onOpenSummary={() => document.querySelector('.counts')?.scrollIntoView()}
              onClose={() => setCardHidden(true)}
            />
          </CardFrame>
        </section>
      )}
      <div class="switch" role="group" aria-label={t('companionTitle')}>
        <button type="button" aria-pressed={lower === 'mentions'} onClick={() => setLower('mentions')}>
          {t('companionShowMentions')}
        </button>
        <button type="button" aria-pressed={lower === 'timeline'} onClick={() => setLower('timeline')}>
          {t('companionShowTimeline')}
        </button>
      </div>
      {lower === 'timeline' && (
        <section class="list" aria-label={t('companionShowTimeline')}>
          <Timeline
            topics={topics.map((x) => ({ id: x.id, name: x.name, colour: topicColour(ids, x.id) }))}
            cards={allCards}
            width={Math.max(240, width - 28)}
            onOpenCard={openFromTimeline}
          />
        </section>
      )}
      {lower === 'mentions' && f.findings.length > 0 && (
        <section class="list" aria-labelledby="h-list">
          <h2 id="h-list">{t('popupMentions')}</h2>
          <ol class="mentions">
            {f.findings.map((m, i) => (
              <MentionItem key={m.index} current={m.index === focus} onClick={() => reveal(m.index)} colour={topicColour(ids, m.topicId).mark}>
                <MentionText text={m.text} sentence={m.sentence} same={i > 0 && f.findings[i - 1]!.sentence === m.sentence} />
              </MentionItem>
            ))}
          </ol>
        </section>
      )}
    </main>
  );
}

/** One mention in the list; the one being read is marked and kept in view. */
function MentionItem(props: { current: boolean; colour: string; onClick: () => void; children: JSX.Element }) {
  const ref = useRef<HTMLLIElement>(null);
  const { current } = props;
  useEffect(() => {
    const item = ref.current;
    const list = item?.closest('.list');
    // Scroll the list only (scrollIntoView would scroll the card away too).
    if (current && item && list instanceof HTMLElement) {
      const top = item.offsetTop - list.offsetTop;
      if (top < list.scrollTop || top + item.offsetHeight > list.scrollTop + list.clientHeight) list.scrollTop = top - list.clientHeight / 3;
    }
  }, [current]);
  return (
    <li ref={ref} aria-current={props.current ? 'true' : undefined}>
      <button type="button" onClick={props.onClick}>
        <span class="swatch" style={{ background: props.colour }} aria-hidden="true" />
        {props.children}
      </button>
    </li>
  );
}

/** The hover card's view in a shadow root of its own, styled by the card's stylesheet. */
function CardFrame({ children }: { children: JSX.Element }) {
  const host = useRef<HTMLDivElement>(null);
  // In the same frame as the panel (a layout effect), so the card never lags what the panel says.
  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const root = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
    if (!root.querySelector('style')) {
      const style = document.createElement('style');
      // In the flow of the panel, not floating over a page as the hover card does.
      style.textContent = `${cardCss}\n${IN_FLOW}`;
      root.append(style, document.createElement('div'));
    }
    render(children, root.lastElementChild!);
  });
  useEffect(() => () => void (host.current?.shadowRoot && render(null, host.current.shadowRoot.lastElementChild!)), []);
  return <div class="card-frame" ref={host} />;
}

const IN_FLOW = `:host { display: flow-root !important; position: relative !important; width: auto !important; height: auto !important; z-index: auto !important; }
.cp-card { max-width: none; max-height: none; box-shadow: none; }`;

async function muteSite(url: string): Promise<void> {
  const site = normalizeSite(new URL(url).hostname);
  const settings = await loadSettings();
  if (site && !settings.sitesOff.includes(site)) await saveSettings({ sitesOff: [...settings.sitesOff, site] });
}
