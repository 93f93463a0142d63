import { describe, expect, it } from 'vitest';
import { dateTime, layoutTimeline, markDates, MAX_YEARS, MIN_GAP, timelineEvents, type DatedCard } from '../../lib/timeline';
import dataset from '../../lib/dataset/dataset.json' with { type: 'json' };

const card = (id: string, topicId: string, dates: (string | undefined)[]): DatedCard => ({
  id,
  topicId,
  question: `${id}?`,
  facts: dates.map((date, i) => ({ date, text: `${id} fact ${i}` })),
});

describe('timeline', () => {
  it('reads the three date forms as their first day, and nothing else', () => {
    expect(new Date(dateTime('2025-01-27')).toISOString()).toBe('2025-01-27T00:00:00.000Z');
    expect(new Date(dateTime('2023-10')).toISOString()).toBe('2023-10-01T00:00:00.000Z');
    expect(new Date(dateTime('2022')).toISOString()).toBe('2022-01-01T00:00:00.000Z');
    expect(dateTime('27 January 2025')).toBeNaN();
  });

  it('keeps dated facts only, in order of date, ties in the order of the cards', () => {
    const events = timelineEvents([card('b', 't', ['2025-03', undefined, '2024-01-02']), card('a', 't', ['2025-03'])]);
    expect(events.map((e) => `${e.cardId}@${e.date}`)).toEqual(['b@2024-01-02', 'b@2025-03', 'a@2025-03']);
  });

  it('spreads a year over the strip, clusters what is closer than the gap per topic, and never across topics', () => {
    const events = timelineEvents([card('x', 'one', ['2024-01-01', '2024-01-03', '2024-07-01']), card('y', 'two', ['2024-01-02'])]);
    const layout = layoutTimeline(events, 366 + 16, 8, 14);
    // 2024 is a leap year: one pixel a day from x = 8.
    expect(layout.ticks.map((t) => [t.label, Math.round(t.x)])).toEqual([
      ['2024', 8],
      ['2025', 374],
    ]);
    const one = layout.marks.filter((m) => m.topicId === 'one');
    expect(one.map((m) => m.events.length)).toEqual([2, 1]);
    expect(Math.round(one[1]!.x)).toBe(8 + 182);
    expect(markDates(one[0]!)).toBe('2024-01-01 – 2024-01-03');
    expect(layout.marks.filter((m) => m.topicId === 'two')).toHaveLength(1);
  });

  it('spans at most MAX_YEARS, gathering older events at the left end', () => {
    const events = timelineEvents([card('old', 'one', ['1997', '2010-05', '2025-01-01'])]);
    const layout = layoutTimeline(events, 600);
    expect(layout.ticks[0]!.label).toBe(String(2025 - MAX_YEARS + 1));
    const [earlier, recent] = layout.marks;
    expect(earlier!.events.map((e) => e.date)).toEqual(['1997', '2010-05']);
    expect(earlier!.x).toBe(8);
    expect(recent!.events.map((e) => e.date)).toEqual(['2025-01-01']);
  });

  it('on the bundled dataset, every topic has events, no mark is closer than the gap to its neighbour, and every event is in one mark', () => {
    const events = timelineEvents(dataset.cards as DatedCard[]);
    const layout = layoutTimeline(events, 360);
    for (const topic of dataset.topics) {
      const marks = layout.marks.filter((m) => m.topicId === topic.id);
      expect(marks.length, topic.id).toBeGreaterThan(3);
      for (let i = 1; i < marks.length; i++) expect(marks[i]!.x - marks[i - 1]!.x, topic.id).toBeGreaterThanOrEqual(MIN_GAP);
    }
    expect(layout.marks.reduce((n, m) => n + m.events.length, 0)).toBe(events.length);
    for (const m of layout.marks) {
      expect(m.x).toBeGreaterThanOrEqual(8);
      expect(m.x).toBeLessThanOrEqual(352);
    }
  });
});
