/**
 * The dataset's dated facts on a timeline, one row per topic (the topic's
 * colour), drawn as SVG. A mark is one event or a cluster of events too close
 * to tell apart at this width; choosing a mark lists its events, each with a
 * button that opens its card. Keyboard: one mark is in the tab order; arrow
 * keys move along the row (Left/Right) and between rows (Up/Down), Home/End
 * to the ends, Enter or Space chooses. The same events are also a plain list,
 * for screen readers and for anyone who prefers text.
 */
import type { JSX } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { TopicColour } from '@/lib/theme';
import { dateTime, layoutTimeline, markDates, timelineEvents, type DatedCard, type TimelineMark } from '@/lib/timeline';

export interface TimelineTopic {
  id: string;
  name: string;
  colour: TopicColour;
}

const ROW = 34;
const TOP = 22;
const LABEL = 16;

export function Timeline(props: {
  topics: TimelineTopic[];
  cards: DatedCard[];
  width: number;
  onOpenCard: (topicId: string, cardId: string) => void;
}): JSX.Element {
  const { topics, cards, width, onOpenCard } = props;
  const layout = useMemo(() => layoutTimeline(timelineEvents(cards), width), [cards, width]);
  const rows = topics.filter((topic) => layout.marks.some((m) => m.topicId === topic.id));
  const byRow = rows.map((topic) => layout.marks.filter((m) => m.topicId === topic.id));
  const [chosen, setChosen] = useState<string | null>(null);
  const [focused, setFocused] = useState<string | null>(null);
  const svg = useRef<SVGSVGElement>(null);
  const height = TOP + rows.length * ROW + 4;
  const active = focused ?? chosen ?? byRow[0]?.[0]?.key ?? null;
  const chosenMark = layout.marks.find((m) => m.key === chosen);
  const cardQuestion = (id: string) => cards.find((c) => c.id === id)?.question ?? id;

  const move = (key: string) => {
    setFocused(key);
    svg.current?.querySelector<SVGGElement>(`[data-key="${CSS.escape(key)}"]`)?.focus();
  };
  const onKey = (e: KeyboardEvent, r: number, i: number) => {
    const row = byRow[r]!;
    let next: TimelineMark | undefined;
    if (e.key === 'ArrowRight') next = row[i + 1];
    else if (e.key === 'ArrowLeft') next = row[i - 1];
    else if (e.key === 'Home') next = row[0];
    else if (e.key === 'End') next = row[row.length - 1];
    else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const other = byRow[r + (e.key === 'ArrowDown' ? 1 : -1)];
      const x = row[i]!.x;
      next = other?.reduce((best, m) => (Math.abs(m.x - x) < Math.abs(best.x - x) ? m : best), other[0]!);
    } else if (e.key === 'Enter' || e.key === ' ') {
      setChosen(row[i]!.key);
      e.preventDefault();
      return;
    } else return;
    e.preventDefault();
    if (next) move(next.key);
  };

  return (
    <figure class="timeline">
      <figcaption>{t('timelineCaption')}</figcaption>
      <svg ref={svg} width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="group" aria-label={t('timelineCaption')}>
        {layout.ticks.map((tick) => (
          <g key={tick.label} class="tick" aria-hidden="true">
            <line x1={tick.x} x2={tick.x} y1={TOP - 6} y2={height} />
            <text x={tick.x + 3} y={TOP - 10}>
              {tick.label}
            </text>
          </g>
        ))}
        {rows.map((topic, r) => {
          const y = TOP + r * ROW + LABEL;
          return (
            <g key={topic.id} role="group" aria-label={topic.name}>
              <text class="row-label" x={4} y={y - 10} aria-hidden="true" fill={topic.colour.ink}>
                {topic.name}
              </text>
              <line class="baseline" x1={0} x2={width} y1={y} y2={y} aria-hidden="true" />
              {byRow[r]!.map((mark, i) => {
                const n = mark.events.length;
                const label = `${topic.name}, ${markDates(mark)}: ${n === 1 ? mark.events[0]!.text : t('timelineEvents', [String(n)])}`;
                return (
                  <g
                    key={mark.key}
                    data-key={mark.key}
                    role="button"
                    // Lower case: SVG attributes are case-sensitive, and Firefox ignores `tabIndex` on them.
                    {...{ tabindex: mark.key === active ? 0 : -1 }}
                    aria-label={label}
                    aria-pressed={mark.key === chosen}
                    class={`mark${mark.key === chosen ? ' chosen' : ''}`}
                    onClick={() => {
                      setChosen(mark.key);
                      setFocused(mark.key);
                    }}
                    onKeyDown={(e) => onKey(e, r, i)}
                    onFocus={() => setFocused(mark.key)}
                  >
                    {/* A 44 px target around a small dot. */}
                    <rect x={mark.x - 11} y={y - 16} width={22} height={32} fill="transparent" />
                    <circle cx={mark.x} cy={y} r={n > 9 ? 8 : n > 1 ? 6.5 : 4.5} fill={topic.colour.mark} />
                    {n > 1 && (
                      <text class="count" x={mark.x} y={y + 3.5} text-anchor="middle" aria-hidden="true">
                        {n}
                      </text>
                    )}
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      {chosenMark && (
        <div class="timeline-events" aria-live="polite">
          <p class="when">{markDates(chosenMark)}</p>
          <ul>
            {chosenMark.events.map((e, i) => (
              <li key={i}>
                <span class="date">{e.date}</span> {e.text}{' '}
                <button type="button" class="link" onClick={() => onOpenCard(e.topicId, e.cardId)}>
                  {t('timelineOpenCard', [cardQuestion(e.cardId)])}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <details class="timeline-text">
        <summary>{t('timelineAsList')}</summary>
        {rows.map((topic) => (
          <section key={topic.id}>
            <h3>{topic.name}</h3>
            <ol>
              {timelineEvents(cards.filter((c) => c.topicId === topic.id)).map((e, i) => (
                <li key={i}>
                  <span class="date">{e.date}</span> {e.text}
                </li>
              ))}
            </ol>
          </section>
        ))}
      </details>
    </figure>
  );
}

/**
 * Where a card's own facts sit in time: a small strip from its first dated
 * fact to its last, one dot per fact, for the card's "more" view. The facts
 * list right after it says the same in words, so the strip is one image
 * with a label for screen readers.
 */
export function TimeStrip({ facts, width = 260 }: { facts: readonly { date?: string }[]; width?: number }): JSX.Element | null {
  const times = facts
    .map((f) => (f.date ? { date: f.date, time: dateTime(f.date) } : null))
    .filter((x): x is { date: string; time: number } => !!x && !Number.isNaN(x.time));
  if (times.length < 2) return null;
  times.sort((a, b) => a.time - b.time);
  const first = times[0]!;
  const last = times[times.length - 1]!;
  const span = Math.max(1, last.time - first.time);
  const inset = 6;
  const xOf = (time: number) => inset + ((time - first.time) / span) * (width - 2 * inset);
  return (
    <svg class="cp-strip" width={width} height={30} viewBox={`0 0 ${width} 30`} role="img" aria-label={t('cardTimeStrip', [first.date, last.date])}>
      <line x1={inset} x2={width - inset} y1={10} y2={10} class="cp-strip-line" />
      {times.map((x, i) => (
        <circle key={i} cx={xOf(x.time)} cy={10} r={3.5} class="cp-strip-dot" />
      ))}
      <text x={inset} y={27} class="cp-strip-label">
        {first.date}
      </text>
      <text x={width - inset} y={27} class="cp-strip-label" text-anchor="end">
        {last.date}
      </text>
    </svg>
  );
}
