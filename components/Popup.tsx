/**
 * The toolbar popup: what does this page say, and what is the other side?
 * The switches for the site and each topic first (they are what a reader
 * comes to change), then the topics found with counts (bars in each topic's
 * colour) and a brief of the best card, one line a side with the sides named
 * in words, then the list of mentions (click to jump).
 */
import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { rankCards } from '@/lib/cards';
import { pageCall, tabCall } from '@/lib/messaging';
import { TERM_INDEX_KEY, type CardView, type PageFindings, type TermIndex, type TopicSummary } from '@/lib/protocol';
import { isSiteOff, normalizeSite, type Settings } from '@/lib/settings';
import { loadSettings, saveSettings, watchSettings } from '@/lib/settings-store';
import { restrictedReason } from '@/lib/restricted';
import { openCompanionPanel } from '@/lib/companion';
import { t } from '@/lib/i18n';
import { topicColour } from '@/lib/theme';
import { cardExtras } from './card-model';

export const FIRST_CONTENT_MARK = 'counterpoint:first-content';

type View =
  | { kind: 'loading' }
  | { kind: 'restricted'; reason: string }
  | { kind: 'missing'; tabId: number }
  | { kind: 'page'; tabId: number; url: string; findings: PageFindings };

export function Popup({ tabParam }: { tabParam: number | null }): JSX.Element {
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [topics, setTopics] = useState<TopicSummary[]>([]);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [briefs, setBriefs] = useState<Record<string, CardView | undefined>>({});
  const [error, setError] = useState('');

  const repoll = useRef<() => void>(() => undefined);

  useEffect(() => {
    void (early.settings ?? loadSettings()).then(setSettings);
    void (early.topics ?? loadTopics()).then(setTopics);
    return watchSettings((next) => {
      setSettings(next);
      repoll.current();
    });
  }, []);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let latest = 0;
    const poll = async () => {
      clearTimeout(timer);
      const mine = ++latest;
      const { tab, reply } = await (takePrefetched() ?? askPage(tabParam));
      if (stopped || mine !== latest) return;
      if (!tab || tab.id === undefined || !reply) return setView({ kind: 'restricted', reason: t('popupNoTab') });
      // The content script is the authority on its page; the URL (visible only
      // through activeTab, when the popup was opened from the toolbar) explains
      // why there is none.
      if (!reply.ok) {
        const reason = tab.url ? restrictedReason(tab.url) : '';
        return setView(reason ? { kind: 'restricted', reason: t(reason) } : { kind: 'missing', tabId: tab.id });
      }
      setView({ kind: 'page', tabId: tab.id, url: tab.url ?? reply.value.url, findings: reply.value });
      // Keep the summary live while the page is still scanning or changing.
      timer = setTimeout(() => void poll(), reply.value.state === 'scanning' ? 300 : 1500);
    };
    // A settings change (a switch in this popup) asks the page again at once.
    repoll.current = () => void poll();
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [tabParam]);

  const findings = view.kind === 'page' ? view.findings : null;

  // For `npm run bench` (e2e build only): when the page's summary is first in
  // the DOM, ready for the next paint (ms since the popup opened).
  useLayoutEffect(() => {
    if (import.meta.env.MODE !== 'e2e') return;
    if (view.kind === 'page' && !performance.getEntriesByName(FIRST_CONTENT_MARK).length) performance.mark(FIRST_CONTENT_MARK);
  }, [view.kind]);
  const foundTopics = topics.filter((tp) => (findings?.byTopic[tp.id] ?? 0) > 0);

  // One brief per topic found, asked for once (the summary refreshes every
  // second or so; the brief does not need to).
  const asked = useRef(new Set<string>());
  useEffect(() => {
    if (!findings) return;
    for (const topic of topics) {
      if (!findings.byTopic[topic.id] || asked.current.has(topic.id)) continue;
      asked.current.add(topic.id);
      const sentences = findings.findings.filter((f) => f.topicId === topic.id).map((f) => f.sentence);
      void pageCall('getCards', { topicId: topic.id }).then((r) => {
        // The brief shows both sides, so prefer the most relevant contested card.
        const ranked = r.ok ? rankCards(r.value, sentences.slice(0, 3).join(' '), sentences.join(' ')) : [];
        const best = ranked.find((c) => c.contested && c.viewpoints.length >= 2) ?? ranked[0];
        setBriefs((prev) => ({ ...prev, [topic.id]: best }));
      });
    }
  }, [findings, topics]);

  const save = async (patch: Partial<Settings>) => {
    // Shown at once: the switch's state must match what the reader clicked
    // before the storage event comes back, or a re-render in between (the
    // findings poll) puts the old value back under their pointer and the
    // next click undoes the first.
    setSettings((current) => current && { ...current, ...patch });
    try {
      setError('');
      await saveSettings(patch);
    } catch (e) {
      setSettings(await loadSettings());
      setError((e as Error).message);
    }
  };

  if (view.kind === 'loading' || !settings)
    return (
      <main class="popup">
        <p>{t('popupLoading')}</p>
      </main>
    );
  if (view.kind === 'restricted') {
    return (
      <main class="popup">
        <Header />
        <p class="state" role="status">
          {view.reason}
        </p>
      </main>
    );
  }
  if (view.kind === 'missing') {
    return (
      <main class="popup">
        <Header />
        <p class="state" role="status">
          {t('popupMissing')}
        </p>
        <button type="button" class="primary" onClick={() => void browser.tabs.reload(view.tabId).then(() => window.close())}>
          {t('popupReload')}
        </button>
      </main>
    );
  }

  const site = normalizeSite(view.url);
  const siteOff = isSiteOff(settings, site);
  const max = Math.max(1, ...Object.values(view.findings.byTopic));
  const f = view.findings;
  const ids = topics.map((x) => x.id);
  const swatch = (id: string) => ({ background: topicColour(ids, id).mark });
  const mentions = f.findings.slice(0, 200);
  return (
    <main class="popup">
      <Header tabId={view.tabId} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="switches" role="group" aria-label={t('popupTopicSwitches')}>
        <label class="switch site">
          <input
            type="checkbox"
            checked={!siteOff}
            onChange={(e) => {
              const on = (e.currentTarget as HTMLInputElement).checked;
              void save({ sitesOff: on ? settings.sitesOff.filter((s) => s !== site && !site.endsWith(`.${s}`)) : [...settings.sitesOff, site] });
            }}
          />
          {t('popupSiteSwitch', [site || '—'])}
        </label>
        <div class="topic-switches">
          {topics.map((topic) => (
            <label class="switch chip" key={topic.id}>
              <input
                type="checkbox"
                data-topic={topic.id}
                checked={!settings.topicsOff.includes(topic.id)}
                onChange={(e) => {
                  const on = (e.currentTarget as HTMLInputElement).checked;
                  void save({ topicsOff: on ? settings.topicsOff.filter((x) => x !== topic.id) : [...settings.topicsOff, topic.id] });
                }}
              />
              <span class="swatch" aria-hidden="true" style={swatch(topic.id)} />
              {topic.name}
            </label>
          ))}
        </div>
      </div>
      {f.state === 'scanning' && (
        <p class="state" role="status">
          {t('popupScanning')}
        </p>
      )}
      {f.state === 'off-site' && (
        <p class="state" role="status">
          {t('popupSiteOff')}
        </p>
      )}
      {f.state === 'opted-out' && (
        <p class="state" role="status">
          {t('popupOptedOut')}
        </p>
      )}
      {f.state === 'done' && f.total === 0 && (
        <p class="state" role="status">
          {t('popupNone')}
        </p>
      )}
      {f.capped && <p class="state">{t('popupCapped', [String(f.findings.length), String(f.total)])}</p>}
      {foundTopics.length > 0 && (
        <div class="block" role="group" aria-labelledby="h-topics">
          <h2 id="h-topics">{t('popupMentionsHeading', [String(f.total)])}</h2>
          <ul class="topics">
            {foundTopics.map((topic) => {
              const count = f.byTopic[topic.id] ?? 0;
              const brief = briefs[topic.id];
              return (
                <li key={topic.id} class="topic" data-topic={topic.id}>
                  <div class="topic-row">
                    <span class="topic-name">
                      <span class="swatch" aria-hidden="true" style={swatch(topic.id)} />
                      {topic.name}
                    </span>
                    <span class="bar" aria-hidden="true">
                      <span style={{ width: `${(count / max) * 100}%`, background: topicColour(ids, topic.id).mark }} />
                    </span>
                    <span class="count">{t('popupCount', [String(count)])}</span>
                  </div>
                  {brief && <Brief card={brief} />}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {mentions.length > 0 && (
        <div class="block" role="group" aria-labelledby="h-mentions">
          <h2 id="h-mentions">{t('popupMentions')}</h2>
          <ol class="mentions">
            {mentions.map((m, i) => (
              <li key={m.index}>
                <button
                  type="button"
                  class="mention"
                  title={m.sentence}
                  onClick={() => void tabCall(view.tabId, 'revealMention', { index: m.index }).then(() => window.close())}
                >
                  <span class="num" aria-hidden="true">
                    {i + 1}
                  </span>
                  <span class="swatch" aria-hidden="true" style={swatch(m.topicId)} />
                  <MentionText text={m.text} sentence={m.sentence} same={i > 0 && mentions[i - 1]!.sentence === m.sentence} />
                </button>
              </li>
            ))}
          </ol>
        </div>
      )}
    </main>
  );
}

function Header({ tabId }: { tabId?: number }) {
  return (
    <div class="head">
      <h1>{t('extName')}</h1>
      {tabId !== undefined && (
        <button type="button" class="link" onClick={() => void openCompanion(tabId)}>
          {t('popupOpenCompanion')}
        </button>
      )}
      <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
        {t('popupSettings')}
      </button>
    </div>
  );
}

/** The companion beside the page; where the browser has no panel to open, in a tab that follows this one. */
async function openCompanion(tabId: number): Promise<void> {
  if (!(await openCompanionPanel({ tabId }))) await browser.tabs.create({ url: browser.runtime.getURL(`/sidepanel.html?tab=${tabId}`) });
  window.close();
}

/**
 * A mention in its sentence, the term in bold where it stands. A mention in
 * the same sentence as the one before says so instead of repeating it (a
 * headline with three mentions is listed once).
 */
export function MentionText({ text, sentence, same }: { text: string; sentence: string; same: boolean }) {
  if (same)
    return (
      <span class="sentence">
        <strong>{text}</strong> <span class="muted">{t('popupSameSentence')}</span>
      </span>
    );
  const at = sentence.indexOf(text);
  if (at < 0)
    return (
      <span class="sentence">
        <strong>{text}</strong> {sentence}
      </span>
    );
  return (
    <span class="sentence">
      {sentence.slice(0, at)}
      <strong>{text}</strong>
      {sentence.slice(at + text.length)}
    </span>
  );
}

/** The best card's question and one line a side, each side named in words (the card's own labels when it has them). */
function Brief({ card }: { card: CardView }) {
  const yes = card.viewpoints.find((v) => v.stance === 'yes');
  const no = card.viewpoints.find((v) => v.stance === 'no');
  const labels = cardExtras(card).sides ?? { yes: t('cardSideYes'), no: t('cardSideNo') };
  const line = (label: string, v: typeof yes) => (v ? `${label}: ${v.label} (${v.holders.slice(0, 2).join(', ')})` : '');
  return (
    <div class="brief">
      <p class="q" title={card.question}>
        {card.question}
      </p>
      {yes && (
        <p class="side yes" title={line(labels.yes, yes)}>
          <span class="side-label">
            <span aria-hidden="true">◆ </span>
            {labels.yes}:
          </span>{' '}
          {yes.label} <span class="muted">({yes.holders.slice(0, 2).join(', ')})</span>
        </p>
      )}
      {no && (
        <p class="side no" title={line(labels.no, no)}>
          <span class="side-label">
            <span aria-hidden="true">◇ </span>
            {labels.no}:
          </span>{' '}
          {no.label} <span class="muted">({no.holders.slice(0, 2).join(', ')})</span>
        </p>
      )}
    </div>
  );
}

type Asked = { tab: Awaited<ReturnType<typeof findTab>>; reply: Awaited<ReturnType<typeof tabCall<'getFindings'>>> | null };
let prefetched: Promise<Asked> | null = null;

/** The tab and what its content script found. */
function askPage(tabParam: number | null): Promise<Asked> {
  return findTab(tabParam).then(async (tab) => ({
    tab,
    reply: tab?.id === undefined ? null : await tabCall(tab.id, 'getFindings', {}),
  }));
}

const early: { settings?: Promise<Settings>; topics?: Promise<TopicSummary[]> } = {};

/** The published index, straight from storage: no round trip to (or wake-up of) the background. */
async function loadTopics(): Promise<TopicSummary[]> {
  const stored = await browser.storage.local.get(TERM_INDEX_KEY);
  const index = stored[TERM_INDEX_KEY] as TermIndex | undefined;
  if (index) return index.topics;
  const reply = await pageCall('getIndex', {});
  return reply.ok ? reply.value.topics : [];
}

/** Called before the first render, so the page, settings and topics are asked for while Preact starts up. */
export function prefetchPage(tabParam: number | null): void {
  prefetched = askPage(tabParam);
  early.settings = loadSettings();
  early.topics = loadTopics();
}

function takePrefetched(): Promise<Asked> | null {
  const p = prefetched;
  prefetched = null;
  return p;
}

async function findTab(tabParam: number | null) {
  if (tabParam !== null) return browser.tabs.get(tabParam).catch(() => undefined);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab;
}
