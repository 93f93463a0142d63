/**
 * A timeline of the dataset's dated facts, per topic: the events, and where
 * their marks go on a strip of a given width. Events too close to tell apart
 * at that width share one mark (a cluster), so a busy month stays one
 * readable, labelled mark instead of a smudge; the view lists a mark's events.
 * Pure: the companion's Timeline view draws what this returns.
 */

export interface DatedCard {
  id: string;
  topicId: string;
  question: string;
  facts: readonly { date?: string; text: string }[];
}

export interface TimelineEvent {
  /** As the dataset writes it: YYYY-MM-DD, YYYY-MM or YYYY. */
  date: string;
  /** Milliseconds (UTC) of the date's first day. */
  time: number;
  text: string;
  cardId: string;
  topicId: string;
}

export interface TimelineMark {
  /** Stable across layouts of the same events: the topic and the first event's date and card. */
  key: string;
  topicId: string;
  x: number;
  events: TimelineEvent[];
}

export interface TimelineTick {
  x: number;
  label: string;
}

export interface TimelineLayout {
  marks: TimelineMark[];
  /** Start and end of the strip (UTC ms); events before `from` sit at its left end. */
  ticks: TimelineTick[];
  from: number;
  to: number;
}

/** The first day of a date written as YYYY-MM-DD, YYYY-MM or YYYY, in UTC milliseconds; NaN if it is none of these. */
export function dateTime(date: string): number {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(date);
  if (!m) return NaN;
  return Date.UTC(Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1);
}

/** Every dated fact of the cards as an event, in order of date (ties keep the cards' order). */
export function timelineEvents(cards: readonly DatedCard[]): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const card of cards) {
    for (const fact of card.facts) {
      if (!fact.date) continue;
      const time = dateTime(fact.date);
      if (Number.isNaN(time)) continue;
      events.push({ date: fact.date, time, text: fact.text, cardId: card.id, topicId: card.topicId });
    }
  }
  // Array.prototype.sort is stable, so equal dates keep the dataset's order.
  return events.sort((a, b) => a.time - b.time);
}

/** Marks closer than this (px) join: a mark with a two-digit count is 16 px wide. */
export const MIN_GAP = 18;
/** Years the strip spans at most; anything earlier gathers in one mark per topic at its left end. */
export const MAX_YEARS = 6;

/**
 * Places the events on a strip `width` wide with `inset` kept clear at each
 * end, from the January of the first event's year (or MAX_YEARS before the
 * last, so a fact from the 1990s does not squeeze the years that matter into
 * the last inch) to the end of the last event's year. Per topic, an event
 * less than `minGap` from the mark before it joins that mark. Ticks mark
 * each year.
 */
export function layoutTimeline(events: readonly TimelineEvent[], width: number, inset = 8, minGap = MIN_GAP): TimelineLayout {
  if (!events.length) return { marks: [], ticks: [], from: 0, to: 0 };
  const lastYear = new Date(events[events.length - 1]!.time).getUTCFullYear();
  const firstYear = Math.max(new Date(events[0]!.time).getUTCFullYear(), lastYear - MAX_YEARS + 1);
  const from = Date.UTC(firstYear, 0, 1);
  const to = Date.UTC(lastYear + 1, 0, 1);
  const span = Math.max(1, width - 2 * inset);
  const xOf = (time: number) => inset + ((Math.max(time, from) - from) / (to - from)) * span;
  const last = new Map<string, TimelineMark>();
  const marks: TimelineMark[] = [];
  for (const e of events) {
    const x = xOf(e.time);
    const before = last.get(e.topicId);
    if (before && x - before.x < minGap) {
      before.events.push(e);
      continue;
    }
    const mark: TimelineMark = { key: `${e.topicId}:${e.date}:${e.cardId}`, topicId: e.topicId, x, events: [e] };
    marks.push(mark);
    last.set(e.topicId, mark);
  }
  const ticks: TimelineTick[] = [];
  for (let year = firstYear; year <= lastYear + 1; year++) ticks.push({ x: xOf(Date.UTC(year, 0, 1)), label: String(year) });
  return { marks, ticks, from, to };
}

/** A mark's dates as a reader says them: one date, or "first – last". */
export function markDates(mark: TimelineMark): string {
  const first = mark.events[0]!.date;
  const lastDate = mark.events[mark.events.length - 1]!.date;
  return first === lastDate ? first : `${first} – ${lastDate}`;
}
