/**
 * Choosing the card for a mention by its context. Of the topic's cards, the
 * one that best fits the sentence (and, less, the paragraph) around the
 * mention opens first; the rest follow in order of fit.
 *
 * What counts, per card:
 * - its cue phrases: one found in the sentence scores 3 per word, one found
 *   only elsewhere in the paragraph 1 per word;
 * - the words of its question (the reader's question the card answers) found
 *   in the sentence: 1 each, divided by how many of the topic's questions use
 *   the word, so "illegal" counts and "DeepSeek" does not;
 * - the words of the rest of the card (summary, facts, viewpoints, holders)
 *   found in the sentence: 0.5 each, divided the same way by how many of the
 *   topic's cards use them, so a name only one card mentions ("Stanford",
 *   "ByteDance") points at that card.
 * The last two let a sentence in words the cue list never thought of still
 * find its card. Words are compared after light stemming (plurals, -ed,
 * -ing), so "smuggled" meets the cue "smuggling" and "GPUs" meets "GPU".
 *
 * - the mention itself, when the caller knows it: a cue phrase that is the
 *   mention's own name scores 3 per word more, so of two names in one
 *   sentence ("after the H20 was blocked, Nvidia pitched the H200") the one
 *   the reader is on picks the card.
 *
 * The debate first: a contested card's score counts 1.5 times, so when a
 * sentence is about a dispute the card with both sides opens rather than a
 * definition with none. Ties keep dataset order, so each topic's general
 * explainer, listed first, opens when nothing specific matches.
 */
import { tokenize } from './matcher/tokenize';

export { sentenceAround } from './sentence';

export interface CardLike {
  id: string;
  topicId: string;
  cues: string[];
  /** The reader's question; its words count (see the module comment). */
  question?: string;
  /** A card with both sides of a dispute; favoured when it fits at all. */
  contested?: boolean;
  /** The card's own text; its rarer words count a little. */
  summary?: string;
  facts?: readonly { text: string }[];
  viewpoints?: readonly { label: string; holders: readonly string[]; argument: string }[];
}

const SENTENCE_WEIGHT = 3;
const PARAGRAPH_WEIGHT = 1;
const MENTION_WEIGHT = 3;
const QUESTION_WEIGHT = 1;
const BODY_WEIGHT = 0.5;
const CONTESTED_FACTOR = 1.5;
/** A word used by more than this share of a topic's cards says nothing about any one card. */
const MAX_SHARE = 0.25;

/** Words too common to tell one card from another. */
const STOPWORDS = new Set(
  (
    'a an and are as at be been by can could did do does for from has have how if in into is it its of on or ' +
    'should so than that the their them they this to was were what when where which who whom why will with would ' +
    'far more most much really us any all about after other own such up out being get got one not no but also ' +
    'there then these those only just our we you he she his her over under new ' +
    // Reporting verbs: every card quotes someone.
    'say said says tell told call called calls describe described describes report reported reports note noted ' +
    'add added claim claimed argue argued make made take took give gave use used put'
  ).split(' '),
);

export function rankCards<C extends CardLike>(cards: C[], sentence: string, paragraph: string, mention?: string): C[] {
  return scoreAll(cards, sentence, paragraph, mention).map((s) => s.card);
}

/**
 * The debates (contested cards) nearest a mention's context, best first, at
 * most `limit`: for the "the debates on this" links of a definition card that
 * opened because the sentence named no dispute. Debates the context points to
 * come first, then the definition's own `related` list, then the topic's
 * other debates in dataset order.
 */
export function nearestDebates<C extends CardLike & { related?: readonly string[] }>(
  cards: C[],
  definition: C,
  sentence: string,
  paragraph: string,
  limit = 3,
): C[] {
  const scored = scoreAll(cards, sentence, paragraph);
  const byId = new Map(cards.map((c) => [c.id, c]));
  const picked: C[] = [];
  const add = (card: C | undefined) => {
    if (card && card.contested && card !== definition && !picked.includes(card) && picked.length < limit) picked.push(card);
  };
  for (const s of scored) if (s.score > 0) add(s.card);
  for (const id of definition.related ?? []) add(byId.get(id));
  for (const card of cards) add(card);
  return picked;
}

function scoreAll<C extends CardLike>(cards: C[], sentence: string, paragraph: string, mention?: string): { card: C; score: number; order: number }[] {
  const context = contextOf(sentence, paragraph, mention);
  const vocabulary = vocabularyOf(cards);
  const scored = cards.map((card, order) => ({ card, score: scoreCard(card, context, vocabulary), order }));
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored;
}

/**
 * Score of one card for a mention's context, as if it were the topic's only
 * card (its words at full weight); exposed for tests and dataset tooling.
 */
export function cardScore(card: CardLike, sentence: string, paragraph: string): number {
  return scoreCard(card, contextOf(sentence, paragraph), vocabularyOf([card]));
}

interface Context {
  sentence: string[];
  paragraph: string[];
  sentenceWords: Set<string>;
  /** The words of the mention the reader is on, when known. */
  mention: string[];
}

/** Per card, the stemmed words of its question and of the rest of its text, with what each is worth. */
interface Vocabulary {
  question: Map<CardLike, Set<string>>;
  body: Map<CardLike, Set<string>>;
  questionWeight: Map<string, number>;
  bodyWeight: Map<string, number>;
}

function contextOf(sentence: string, paragraph: string, mention = ''): Context {
  const s = stems(sentence);
  return { sentence: s, paragraph: stems(paragraph), sentenceWords: new Set(s), mention: stems(mention) };
}

function scoreCard(card: CardLike, ctx: Context, vocabulary: Vocabulary): number {
  let score = 0;
  const counted = new Set<string>();
  for (const cue of card.cues) {
    const phrase = stems(cue);
    if (!phrase.length) continue;
    if (containsPhrase(ctx.sentence, phrase)) {
      score += SENTENCE_WEIGHT * wordCount(phrase);
      // The mention itself: of two names in one sentence, the one the reader is on.
      if (phrase.length === ctx.mention.length && containsPhrase(ctx.mention, phrase)) score += MENTION_WEIGHT * wordCount(phrase);
      phrase.forEach((w) => counted.add(w));
    } else if (containsPhrase(ctx.paragraph, phrase)) score += PARAGRAPH_WEIGHT * wordCount(phrase);
  }
  // A word already counted (by a cue, or by the question) is not counted again.
  for (const word of vocabulary.question.get(card) ?? []) {
    if (counted.has(word) || !ctx.sentenceWords.has(word)) continue;
    score += QUESTION_WEIGHT * (vocabulary.questionWeight.get(word) ?? 0);
    counted.add(word);
  }
  for (const word of vocabulary.body.get(card) ?? []) {
    if (counted.has(word) || !ctx.sentenceWords.has(word)) continue;
    score += BODY_WEIGHT * (vocabulary.bodyWeight.get(word) ?? 0);
  }
  return card.contested ? score * CONTESTED_FACTOR : score;
}

const vocabularies = new WeakMap<readonly CardLike[], Vocabulary>();

/**
 * The words of each card and their worth: 1 ÷ the number of the topic's
 * cards that use the word, and nothing for stopwords, numbers and words more
 * than a quarter of the cards use. Kept per cards array, since a card opens
 * many times with the same topic's cards.
 */
function vocabularyOf(cards: readonly CardLike[]): Vocabulary {
  const cached = vocabularies.get(cards);
  if (cached) return cached;
  const question = new Map<CardLike, Set<string>>();
  const body = new Map<CardLike, Set<string>>();
  for (const card of cards) {
    question.set(card, new Set(stems(card.question ?? '')));
    const text = [
      card.summary ?? '',
      ...(card.facts ?? []).map((f) => f.text),
      ...(card.viewpoints ?? []).flatMap((v) => [v.label, v.argument, ...v.holders]),
    ].join(' ');
    body.set(card, new Set(stems(text)));
  }
  const vocabulary = { question, body, questionWeight: weights(question, cards.length), bodyWeight: weights(body, cards.length) };
  vocabularies.set(cards, vocabulary);
  return vocabulary;
}

function weights(words: Map<CardLike, Set<string>>, cardCount: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const set of words.values()) for (const w of set) counts.set(w, (counts.get(w) ?? 0) + 1);
  const limit = Math.max(1, cardCount * MAX_SHARE);
  const result = new Map<string, number>();
  for (const [word, n] of counts) {
    if (STOPWORDS.has(word) || word.length < 3 || /^\d+$/.test(word) || n > limit) continue;
    result.set(word, 1 / n);
  }
  return result;
}

function stems(text: string): string[] {
  return tokenize(text).map((t) => stem(t.norm));
}

/**
 * A light English stem: enough that plurals and -ed/-ing forms meet their base
 * word ("smuggled", "smuggling" → "smuggl"; "banned" → "ban"; "GPUs" → "gpu"),
 * not a full stemmer. Short words, words with digits and CJK are left alone.
 */
export function stem(word: string): string {
  if (/^[a-z]+\d+s$/.test(word)) return word.slice(0, -1); // H100s, A800s
  if (word.length < 4 || !/^[a-z]+$/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith('es') && /(ss|sh|ch|x)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && (!/(ss|us|is)$/.test(w) || /pus$/.test(w))) w = w.slice(0, -1);
  if (w !== word && /([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz|ff)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

/**
 * How many words a cue phrase counts for. Chinese and Japanese are tokenized a
 * character at a time, and a word there is about two characters, so each run
 * of such characters counts half its length (rounded up): 训练成本 ("training
 * cost") weighs what its two English words do.
 */
function wordCount(phrase: string[]): number {
  let words = 0;
  let run = 0;
  for (const token of phrase) {
    if (token.length === 1 && token.charCodeAt(0) >= 0x3040) run++;
    else {
      words += Math.ceil(run / 2) + 1;
      run = 0;
    }
  }
  return words + Math.ceil(run / 2);
}

function containsPhrase(tokens: string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let k = 0; k < phrase.length; k++) if (tokens[i + k] !== phrase[k]) continue outer;
    return true;
  }
  return false;
}
