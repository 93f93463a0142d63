/**
 * The hover card: the question a reader has at this mention, a neutral
 * summary, and the two sides at a glance (each side's label and headline),
 * with the rest (every viewpoint's argument, the key facts, a glossary and
 * the sources) one "more" away. Everything from the dataset is rendered as
 * text (Preact escapes it); only https links are rendered as links.
 *
 * The card adds no landmark to the reader's page: no <header>, <footer>,
 * <nav> or named <section> (each would be a second banner, contentinfo,
 * navigation or region of the page), only a dialog with groups inside.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CardView } from '@/lib/protocol';
import type { Source, Viewpoint } from '@/lib/dataset/schema';
import { t, uiIsEnglish } from '@/lib/i18n';
import { TimeStrip } from './Timeline';
import type { TopicColour } from '@/lib/theme';
import { cardExtras, domainOf, holdersLine, isDescription, sidesOf, sourceKind } from './card-model';

export interface CardProps {
  topicName: string;
  /** The topic's colour (lib/theme.ts): the header's mark and label. */
  colour: TopicColour;
  cards: CardView[];
  index: number;
  mentionText: string;
  /** Pinned by a click or the keyboard: stays until Esc, close, a click outside or focus leaving it. */
  pinned: boolean;
  /** Show the one-time hint about what the highlights are. */
  hint: boolean;
  onDismissHint: () => void;
  onStep: (delta: 1 | -1) => void;
  /** Go to another card of this topic (a related debate). */
  onGoTo: (cardId: string) => void;
  onMuteTopic: () => void;
  onMuteSite: () => void;
  onOpenSummary: () => void;
  /** Open the reading companion beside the page (the hover card; not the companion's own card). */
  onOpenCompanion?: () => void;
  onClose: () => void;
  /** Move focus into the card (keyboard navigation). */
  focusOnOpen: boolean;
}

/**
 * Runs a card action only for real input. The card lives in pages that may
 * script it: a page can dispatch clicks, but it cannot make them trusted.
 */
export function trusted(action: () => void): (e: Event) => void {
  return (e) => {
    if (e.isTrusted) action();
  };
}

export function Card(props: CardProps): JSX.Element {
  const { cards, index, topicName, colour } = props;
  const card = cards[index];
  const root = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState(false);
  useEffect(() => {
    if (props.focusOnOpen) root.current?.focus();
  }, [props.focusOnOpen, card?.id]);
  // Each card opens short.
  useEffect(() => setMore(false), [card?.id]);
  const style = { '--topic-mark': colour.mark, '--topic-ink': colour.ink, '--topic-ink-dark': colour.inkDark } as Record<string, string>;
  if (!card) {
    return (
      <div class="cp-card" role="dialog" aria-label={topicName} tabIndex={-1} ref={root} style={style}>
        <p class="cp-summary">{t('cardLoading')}</p>
      </div>
    );
  }
  const titleId = `cp-title-${card.id}`;
  const moreId = `cp-more-${card.id}`;
  const extras = cardExtras(card);
  const { yes, no } = sidesOf(card);
  const labels = extras.sides ?? { yes: t('cardSideYes'), no: t('cardSideNo') };
  const related = extras.related.map((id) => cards.find((c) => c.id === id)).filter((c): c is CardView => !!c && c.id !== card.id);
  const cited = citedSources(card);
  return (
    <div
      class="cp-card"
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      tabIndex={-1}
      ref={root}
      data-card-id={card.id}
      data-pinned={props.pinned ? 'true' : 'false'}
      style={style}
    >
      <div class="cp-head">
        <span class="cp-topic">
          <span class="cp-swatch" aria-hidden="true" />
          {topicName}
        </span>
        {props.pinned && (
          <span class="cp-pinned" title={t('cardPinnedHint')}>
            {t('cardPinned')}
          </span>
        )}
        <span class="cp-pager" role="group" aria-label={t('cardPager')}>
          <button type="button" class="cp-btn" disabled={cards.length < 2} onClick={trusted(() => props.onStep(-1))} aria-label={t('cardPrev')}>
            ‹
          </button>
          <span class="cp-count">{t('cardCount', [String(index + 1), String(cards.length)])}</span>
          <button type="button" class="cp-btn" disabled={cards.length < 2} onClick={trusted(() => props.onStep(1))} aria-label={t('cardNext')}>
            ›
          </button>
        </span>
        <button type="button" class="cp-icon" aria-label={t('cardClose')} title={t('cardClose')} onClick={trusted(props.onClose)}>
          ×
        </button>
      </div>
      {props.hint && (
        <div class="cp-hint" role="note">
          <p>{t('cardHint')}</p>
          <button type="button" class="cp-btn" onClick={trusted(props.onDismissHint)}>
            {t('cardHintDismiss')}
          </button>
        </div>
      )}
      {/* The dataset is English: its text says so to screen readers, and to readers whose browser is in another language. */}
      <h2 class="cp-question" id={titleId} lang="en">
        {card.question}
      </h2>
      <p class="cp-asof">
        {extras.asOf ? t('cardAsOf', [extras.asOf]) : t('cardReviewed', [card.reviewed])}
        {!uiIsEnglish() && <span class="cp-lang"> · {t('cardInEnglish')}</span>}
      </p>
      <p class="cp-summary" lang="en">
        {card.summary}
      </p>
      {/* The glance; once "more" is open, the full columns below say the same and more. */}
      {card.viewpoints.length > 0 && !more && (
        <div class="cp-sides" role="group" aria-label={t('cardViewpoints')} lang="en">
          <SideGlance side="yes" label={labels.yes} view={yes[0]} />
          <SideGlance side="no" label={labels.no} view={no[0]} />
        </div>
      )}
      {related.length > 0 && (
        <div class="cp-related" role="group" aria-labelledby={`cp-rel-${card.id}`}>
          <p class="cp-h3" id={`cp-rel-${card.id}`}>
            {t('cardRelated')}
          </p>
          <ul>
            {related.map((r) => (
              <li key={r.id}>
                <button type="button" class="cp-link" onClick={trusted(() => props.onGoTo(r.id))}>
                  {r.question}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <button type="button" class="cp-more" aria-expanded={more} aria-controls={moreId} onClick={trusted(() => setMore(!more))}>
        <span aria-hidden="true">{more ? '▾ ' : '▸ '}</span>
        {more ? t('cardLess') : t('cardMore', [String(card.viewpoints.length), String(card.facts.length), String(cited.length)])}
      </button>
      {more && (
        <div class="cp-more-body" id={moreId}>
          {card.viewpoints.length > 0 && (
            <div class="cp-views" role="group" aria-label={t('cardViewpoints')}>
              <ViewColumn side="yes" label={labels.yes} views={yes} sources={card.sources} />
              <ViewColumn side="no" label={labels.no} views={no} sources={card.sources} />
            </div>
          )}
          {card.disagreement && (
            <p class="cp-disagree">
              <strong>{t('cardDisagree')}</strong> {card.disagreement}
            </p>
          )}
          <h3 class="cp-h3">{t('cardFacts')}</h3>
          <TimeStrip facts={card.facts} />
          <ul class="cp-facts">
            {card.facts.map((fact, i) => (
              <li key={i}>
                {fact.date && <span class="cp-date">{fact.date} · </span>}
                {fact.text} <SourceRefs ids={fact.sourceIds} sources={card.sources} />
              </li>
            ))}
          </ul>
          {extras.glossary.length > 0 && (
            <>
              <h3 class="cp-h3">{t('cardGlossary')}</h3>
              <dl class="cp-glossary">
                {extras.glossary.map((g) => (
                  <div key={g.term}>
                    <dt>{g.term}</dt>
                    <dd>{g.explanation}</dd>
                  </div>
                ))}
              </dl>
            </>
          )}
          <h3 class="cp-h3">{t('cardSources')}</h3>
          <ol class="cp-source-list">
            {cited.map((s) => (
              <li key={s.id} id={`cp-src-${card.id}-${s.id}`}>
                <SourceLine source={s} />
              </li>
            ))}
          </ol>
        </div>
      )}
      <div class="cp-actions">
        <button type="button" class="cp-link" onClick={trusted(props.onMuteTopic)}>
          {t('cardMuteTopic', [topicName])}
        </button>
        <button type="button" class="cp-link" onClick={trusted(props.onMuteSite)}>
          {t('cardMuteSite')}
        </button>
        <button type="button" class="cp-link" onClick={trusted(props.onOpenSummary)}>
          {t('cardOpenSummary')}
        </button>
        {props.onOpenCompanion && (
          <button type="button" class="cp-link" onClick={trusted(props.onOpenCompanion)}>
            {t('cardOpenCompanion')}
          </button>
        )}
      </div>
    </div>
  );
}

/** A side at a glance: its label in words, with its own mark (never a topic colour), and its leading viewpoint. */
function SideGlance({ side, label, view }: { side: 'yes' | 'no'; label: string; view: Viewpoint | undefined }) {
  return (
    <div class={`cp-side cp-side-${side}`}>
      <p class="cp-side-label">
        <span class="cp-mark" aria-hidden="true">
          {side === 'yes' ? '◆' : '◇'}
        </span>{' '}
        {label}
      </p>
      {view ? (
        <>
          <p class="cp-headline">{view.label}</p>
          <p class="cp-holders">{holdersLine(view.holders, (n) => t('cardMoreHolders', [String(n)]))}</p>
        </>
      ) : (
        <p class="cp-holders">{t('cardNoView')}</p>
      )}
    </div>
  );
}

function ViewColumn({ side, label, views, sources }: { side: 'yes' | 'no'; label: string; views: Viewpoint[]; sources: Record<string, Source> }) {
  return (
    <div class={`cp-col cp-side-${side}`}>
      <h3 class="cp-side-label">
        <span class="cp-mark" aria-hidden="true">
          {side === 'yes' ? '◆' : '◇'}
        </span>{' '}
        {label}
      </h3>
      {views.map((v, i) => (
        <div class="cp-view" key={i}>
          <h4 class="cp-label">{v.label}</h4>
          <p class="cp-holders">{v.holders.join(', ')}</p>
          <p class="cp-arg">{v.argument}</p>
          <SourceRefs ids={v.sourceIds} sources={sources} />
        </div>
      ))}
    </div>
  );
}

/** The sources a card cites, in the order it first cites them. */
function citedSources(card: CardView): Source[] {
  const ids = [...card.viewpoints.flatMap((v) => v.sourceIds), ...card.facts.flatMap((f) => f.sourceIds)];
  return [...new Set(ids)].flatMap((id) => (card.sources[id] ? [card.sources[id]] : []));
}

/** Short references after a fact or viewpoint: publisher and date, the same with or without a link. */
export function SourceRefs({ ids, sources }: { ids: string[]; sources: Record<string, Source> }) {
  return (
    <span class="cp-sources">
      {ids.map((id) => {
        const s = sources[id];
        if (!s) return null;
        return (
          <span class="cp-source" key={id}>
            <SourceLine source={s} short />
          </span>
        );
      })}
    </span>
  );
}

/**
 * One source: publisher (body colour), date, kind in plain words, and for a
 * link its domain. A title we wrote as a description is marked so, never
 * shown as if it were the headline.
 */
export function SourceLine({ source: s, short = false }: { source: Source; short?: boolean }) {
  const link = safeUrl(s.url) ? s.url : undefined;
  const described = isDescription(s);
  const title = described ? t('cardDescribed', [s.title]) : s.title;
  const name = (
    <>
      <span class="cp-publisher">{s.publisher}</span>
      {s.date && <span class="cp-sdate"> · {s.date}</span>}
    </>
  );
  return (
    <span class="cp-sline">
      {link ? (
        <a href={link} target="_blank" rel="noopener noreferrer" title={title}>
          {name}
          <span class="cp-domain"> · {domainOf(link)}</span>
        </a>
      ) : (
        <span title={title}>{name}</span>
      )}{' '}
      <span class={`cp-tag cp-tag-${sourceKind(s)}`}>{t(`sourceKind_${sourceKind(s)}`)}</span>
      {!short && <span class={described ? 'cp-stitle cp-described' : 'cp-stitle'}>{described ? title : `“${s.title}”`}</span>}
    </span>
  );
}

/** Only https links are ever rendered (an imported file passed validation, but render defensively). */
export function safeUrl(url: string | undefined): url is string {
  if (!url) return false;
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
