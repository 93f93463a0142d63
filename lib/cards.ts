/**
 * Choosing the card for a mention by its context: of the topic's cards, the
 * one whose cue phrases best match the sentence (weight 3) and the paragraph
 * (weight 1) around the mention. Ties keep dataset order, so each topic's
 * general "what is it" card, listed first, wins when nothing specific matches.
 */
import { tokenize } from './matcher/tokenize';

export interface CardLike {
  id: string;
  topicId: string;
  cues: string[];
}

const SENTENCE_WEIGHT = 3;
const PARAGRAPH_WEIGHT = 1;

export function rankCards<C extends CardLike>(cards: C[], sentence: string, paragraph: string): C[] {
  const s = tokenize(sentence).map((t) => t.norm);
  const p = tokenize(paragraph).map((t) => t.norm);
  const scored = cards.map((card, order) => ({ card, score: scoreTokens(card, s, p), order }));
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.map((s) => s.card);
}

/** Score of one card for a mention's context; exposed for tests and dataset tooling. */
export function cardScore(card: CardLike, sentence: string, paragraph: string): number {
  return scoreTokens(
    card,
    tokenize(sentence).map((t) => t.norm),
    tokenize(paragraph).map((t) => t.norm),
  );
}

function scoreTokens(card: CardLike, s: string[], p: string[]): number {
  let score = 0;
  for (const cue of card.cues) {
    const phrase = tokenize(cue).map((t) => t.norm);
    if (!phrase.length) continue;
    if (containsPhrase(s, phrase)) score += SENTENCE_WEIGHT * phrase.length;
    else if (containsPhrase(p, phrase)) score += PARAGRAPH_WEIGHT * phrase.length;
  }
  return score;
}

function containsPhrase(tokens: string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let k = 0; k < phrase.length; k++) if (tokens[i + k] !== phrase[k]) continue outer;
    return true;
  }
  return false;
}

const TERMINATORS = /[.!?。！？]/;

/**
 * The sentence around [start, end) in `text`: from the previous sentence end
 * to the next, not splitting on decimals ("3.5"), initials ("U.S.") or
 * common abbreviations. At most ~300 characters around the mention.
 */
export function sentenceAround(text: string, start: number, end: number): string {
  const limit = 300;
  let from = start;
  while (from > 0 && start - from < limit) {
    const ch = text[from - 1]!;
    if (TERMINATORS.test(ch) && isSentenceEnd(text, from - 1)) break;
    from--;
  }
  let to = end;
  while (to < text.length && to - end < limit) {
    const ch = text[to]!;
    to++;
    if (TERMINATORS.test(ch) && isSentenceEnd(text, to - 1)) break;
  }
  return text.slice(from, to).replace(/\s+/g, ' ').trim();
}

function isSentenceEnd(text: string, i: number): boolean {
  const ch = text[i]!;
  if ('。！？'.includes(ch)) return true;
  const next = text[i + 1];
  if (next !== undefined && !/\s/.test(next) && !/["'”’)\]]/.test(next)) return false; // 3.5, U.S.A, e.g.x
  if (ch !== '.') return true;
  const before = text.slice(Math.max(0, i - 5), i);
  if (/(^|[\s(])([A-Z]|[A-Z]\.[A-Z]|Mr|Mrs|Ms|Dr|St|vs|etc|Inc|Co|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)$/.test(before)) return false;
  return true;
}
