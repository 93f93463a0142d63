/**
 * The hover card: the question a reader has at this mention, a neutral
 * summary, key facts with their sources, and the opposing viewpoints side by
 * side. Everything from the dataset is rendered as text (Preact escapes it);
 * only https links are rendered as links.
 */
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { CardView } from '@/lib/protocol';
import type { Source, Viewpoint } from '@/lib/dataset/schema';
import { t } from '@/lib/i18n';

export interface CardProps {
  topicName: string;
  cards: CardView[];
  index: number;
  mentionText: string;
  onStep: (delta: 1 | -1) => void;
  onMuteTopic: () => void;
  onMuteSite: () => void;
  onOpenSummary: () => void;
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
  const { cards, index, topicName } = props;
  const card = cards[index];
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (props.focusOnOpen) root.current?.focus();
  }, [props.focusOnOpen, card?.id]);
  if (!card) {
    return (
      <div class="cp-card" role="dialog" aria-label={topicName} tabIndex={-1} ref={root}>
        <p class="cp-summary">{t('cardLoading')}</p>
      </div>
    );
  }
  const titleId = `cp-title-${card.id}`;
  const yes = card.viewpoints.filter((v) => v.stance === 'yes');
  const no = card.viewpoints.filter((v) => v.stance === 'no');
  return (
    <div class="cp-card" role="dialog" aria-modal="false" aria-labelledby={titleId} tabIndex={-1} ref={root} data-card-id={card.id}>
      <header class="cp-head">
        <span class="cp-topic">{topicName}</span>
        <button type="button" class="cp-icon" aria-label={t('cardClose')} title={t('cardClose')} onClick={trusted(props.onClose)}>
          ×
        </button>
      </header>
      <h2 class="cp-question" id={titleId}>
        {card.question}
      </h2>
      <p class="cp-summary">{card.summary}</p>
      {card.viewpoints.length > 0 && (
        <section class="cp-views" aria-label={t('cardViewpoints')}>
          <ViewColumn label={t('cardSideYes')} views={yes} sources={card.sources} />
          <ViewColumn label={t('cardSideNo')} views={no} sources={card.sources} />
        </section>
      )}
      {card.disagreement && (
        <p class="cp-disagree">
          <strong>{t('cardDisagree')}</strong> {card.disagreement}
        </p>
      )}
      <section aria-label={t('cardFacts')}>
        <h3 class="cp-h3">{t('cardFacts')}</h3>
        <ul class="cp-facts">
          {card.facts.map((fact, i) => (
            <li key={i}>
              {fact.date && <span class="cp-date">{fact.date} · </span>}
              {fact.text} <SourceLinks ids={fact.sourceIds} sources={card.sources} />
            </li>
          ))}
        </ul>
      </section>
      <footer class="cp-foot">
        <div class="cp-pager">
          <button type="button" class="cp-btn" disabled={cards.length < 2} onClick={trusted(() => props.onStep(-1))} aria-label={t('cardPrev')}>
            ‹
          </button>
          <span aria-live="off">{t('cardCount', [String(index + 1), String(cards.length)])}</span>
          <button type="button" class="cp-btn" disabled={cards.length < 2} onClick={trusted(() => props.onStep(1))} aria-label={t('cardNext')}>
            ›
          </button>
        </div>
        <span class="cp-reviewed">{t('cardReviewed', [card.reviewed])}</span>
      </footer>
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
      </div>
    </div>
  );
}

function ViewColumn({ label, views, sources }: { label: string; views: Viewpoint[]; sources: Record<string, Source> }) {
  return (
    <div class="cp-col">
      <h3 class="cp-h3">{label}</h3>
      {views.map((v, i) => (
        <article class="cp-view" key={i}>
          <h4 class="cp-label">{v.label}</h4>
          <p class="cp-holders">{v.holders.join(', ')}</p>
          <p class="cp-arg">{v.argument}</p>
          <SourceLinks ids={v.sourceIds} sources={sources} />
        </article>
      ))}
    </div>
  );
}

export function SourceLinks({ ids, sources }: { ids: string[]; sources: Record<string, Source> }) {
  return (
    <span class="cp-sources">
      {ids.map((id) => {
        const s = sources[id];
        if (!s) return null;
        const text = `${s.publisher}${s.date ? `, ${s.date}` : ''}`;
        const tag = <span class={`cp-tag cp-tag-${s.reliability}`}>{t(`reliability_${s.reliability}`)}</span>;
        return (
          <span class="cp-source" key={id}>
            {safeUrl(s.url) ? (
              <a href={s.url} target="_blank" rel="noopener noreferrer" title={s.title}>
                {text}
              </a>
            ) : (
              <span title={s.title}>{text}</span>
            )}{' '}
            {tag}
          </span>
        );
      })}
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
