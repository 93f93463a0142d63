/**
 * What the card shows, as plain data: the dataset's optional reading aids
 * (as-of date, side labels, glossary, related debates, descriptive source
 * titles), read defensively because an imported or older dataset may lack
 * them, and the words a reader sees before "more". No DOM here, so it is
 * unit-tested in Node (tests/unit/card-model.test.ts).
 */
import type { Source, Viewpoint } from '@/lib/dataset/schema';
import type { CardView } from '@/lib/protocol';

export interface GlossaryEntry {
  term: string;
  explanation: string;
}

/** The optional fields a card may carry (lib/dataset/schema.ts), each checked before use. */
export interface CardExtras {
  /** The latest date the card's text was checked against a source (YYYY-MM-DD). */
  asOf: string | null;
  /** The card's own words for its two sides, when it has them. */
  sides: { yes: string; no: string } | null;
  glossary: GlossaryEntry[];
  /** Ids of debate cards (for definition cards). */
  related: string[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function text(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

export function cardExtras(card: CardView): CardExtras {
  const raw = card as unknown as Record<string, unknown>;
  const sides = raw.sides as Record<string, unknown> | undefined;
  const glossary = Array.isArray(raw.glossary) ? (raw.glossary as unknown[]) : [];
  const related = Array.isArray(raw.related) ? (raw.related as unknown[]) : [];
  return {
    asOf: typeof raw.asOf === 'string' && ISO_DATE.test(raw.asOf) ? raw.asOf : null,
    sides: sides && typeof sides === 'object' && text(sides.yes) && text(sides.no) ? { yes: sides.yes, no: sides.no } : null,
    glossary: glossary.flatMap((g) => {
      const entry = g as Record<string, unknown> | null;
      return entry && text(entry.term) && text(entry.explanation) ? [{ term: entry.term, explanation: entry.explanation }] : [];
    }),
    related: related.filter(text),
  };
}

/** Is this source's title our description of it rather than its real headline? */
export function isDescription(source: Source): boolean {
  return (source as unknown as { description?: unknown }).description === true;
}

/** The plain-language kind of a source, as a locale key suffix. */
export function sourceKind(source: Source): 'document' | 'news' | 'analysis' {
  return source.reliability === 'primary' ? 'document' : source.reliability === 'major' ? 'news' : 'analysis';
}

/** A link's host without "www.", shown beside the publisher. */
export function domainOf(url: string | undefined): string {
  if (!url) return '';
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

export function sidesOf(card: CardView): { yes: Viewpoint[]; no: Viewpoint[] } {
  return { yes: card.viewpoints.filter((v) => v.stance === 'yes'), no: card.viewpoints.filter((v) => v.stance === 'no') };
}

/** Holders as one short line: the first two names, then how many more. */
export function holdersLine(holders: string[], more: (n: number) => string): string {
  const shown = holders.slice(0, 2).join(', ');
  return holders.length > 2 ? `${shown} ${more(holders.length - 2)}` : shown;
}

export function wordCount(...texts: string[]): number {
  return texts.reduce((n, s) => n + (s.match(/\S+/g)?.length ?? 0), 0);
}
