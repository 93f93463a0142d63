/**
 * The card's reading aids, read defensively: an imported or older dataset
 * may lack them or carry them malformed, and the card must still render.
 */
import { describe, expect, it } from 'vitest';
import { cardExtras, domainOf, holdersLine, isDescription, sourceKind, wordCount } from '../../components/card-model';
import type { CardView } from '../../lib/protocol';
import type { Source } from '../../lib/dataset/schema';

const base = {
  id: 'c',
  topicId: 't',
  question: 'Q?',
  summary: 'S.',
  cues: [],
  facts: [],
  contested: true,
  viewpoints: [],
  sources: {},
  reviewed: '2026-11-30',
};
const card = (extra: object) => ({ ...base, ...extra }) as unknown as CardView;
const source = (extra: object) => ({ id: 's', publisher: 'P', title: 'T', reliability: 'major', ...extra }) as Source;

describe('cardExtras', () => {
  it('reads as-of, side labels, glossary and related debates when present', () => {
    const x = cardExtras(
      card({
        asOf: '2026-05-12',
        sides: { yes: 'Misleading', no: 'Fair as stated' },
        glossary: [{ term: 'FP8', explanation: 'An 8-bit number format.' }],
        related: ['a', 'b'],
      }),
    );
    expect(x).toEqual({
      asOf: '2026-05-12',
      sides: { yes: 'Misleading', no: 'Fair as stated' },
      glossary: [{ term: 'FP8', explanation: 'An 8-bit number format.' }],
      related: ['a', 'b'],
    });
  });

  it('falls back when they are missing or malformed', () => {
    expect(cardExtras(card({}))).toEqual({ asOf: null, sides: null, glossary: [], related: [] });
    expect(cardExtras(card({ asOf: 'May 2026', sides: { yes: 'Only one' }, glossary: [{ term: 'x' }, 'y', null], related: [3, 'ok', ''] }))).toEqual({
      asOf: null,
      sides: null,
      glossary: [],
      related: ['ok'],
    });
  });
});

describe('sources', () => {
  it('names the kind of a source in plain words and marks our own descriptions', () => {
    expect(sourceKind(source({ reliability: 'primary' }))).toBe('document');
    expect(sourceKind(source({ reliability: 'major' }))).toBe('news');
    expect(sourceKind(source({ reliability: 'secondary' }))).toBe('analysis');
    expect(isDescription(source({ description: true }))).toBe(true);
    expect(isDescription(source({}))).toBe(false);
  });

  it('shows a link’s domain without www', () => {
    expect(domainOf('https://www.reuters.com/x')).toBe('reuters.com');
    expect(domainOf(undefined)).toBe('');
    expect(domainOf('not a url')).toBe('');
  });
});

describe('the first view', () => {
  it('keeps holders to one short line', () => {
    expect(holdersLine(['A', 'B'], (n) => `and ${n} more`)).toBe('A, B');
    expect(holdersLine(['A', 'B', 'C', 'D'], (n) => `and ${n} more`)).toBe('A, B and 2 more');
  });

  it('counts words', () => {
    expect(wordCount('Was the figure misleading?', ' As of 2026-05-12 ')).toBe(7);
  });
});
