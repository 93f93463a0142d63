/**
 * The dataset schema: the one description of what a Counterpoint dataset file
 * may contain. The bundled file and every imported file pass through
 * {@link parseDataset} before anything is stored, so the rest of the product can
 * trust the shape (and the cross-references) of what it reads from IndexedDB.
 *
 * Structure is checked with valibot; cross-references, uniqueness and the
 * "no viewpoint without its opposite" rule are checked by hand afterwards,
 * because they span the whole file.
 */
import * as v from 'valibot';
import { DATASET_LIMITS } from '../limits';

export { DATASET_LIMITS };

const L = DATASET_LIMITS;
const atMost = (n: number, what: string) => `at most ${n.toLocaleString('en')} ${what}`;

/** Plain text only: the dataset is rendered as text, and `<` in it is a mistake. */
const TextOf = (max: number) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(max, `must be at most ${max.toLocaleString('en')} characters`),
    v.check((s) => !/[<>]/.test(s), 'must be plain text (no "<" or ">")'),
  );
const Text = TextOf(L.textChars);
const Phrase = TextOf(L.phraseChars);

const Id = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a lowercase slug (a-z, 0-9, "-"), at most 64 characters'));
const Refs = v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(80, 'must be at most 80 characters'))), v.maxLength(20, atMost(20, 'references'))));

/** ISO date: YYYY-MM-DD, or YYYY-MM / YYYY where the source only gives that. */
const IsoDate = v.pipe(
  v.string(),
  v.regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)'),
  v.check(isRealDate, 'must be a real calendar date'),
);

/** A full calendar day, YYYY-MM-DD (an "as of" date must name the day). */
const IsoDay = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD'), v.check(isRealDate, 'must be a real calendar date'));

const HttpsUrl = v.pipe(
  v.string(),
  v.url('must be a URL'),
  v.check((s) => s.startsWith('https://'), 'must be an https:// URL'),
);

export const TermSchema = v.strictObject({
  /** What the reader sees on the page, e.g. "DeepSeek-R1". Hyphens and spaces are interchangeable. */
  text: Phrase,
  /** Also match inflections of the last word (distill → distills, distilled, distilling). */
  inflect: v.optional(v.boolean()),
  /** Match only with this exact capitalisation (acronyms such as "BIS" or "EAR"). */
  caseSensitive: v.optional(v.boolean()),
  /**
   * Context rule for ambiguous terms. `requires`: at least one of these cue sets
   * (names in `dataset.cues`, or `@topicId` for an unambiguous term of that
   * topic) must appear in scope. `vetoes`: none of these may appear in scope.
   */
  requires: Refs,
  /**
   * Cue sets that, when the page is about them, stand in for a required cue in
   * the block: the cue is in the page's title or a heading, or occurs at least
   * three times on the page. For names that are plain on a page about DeepSeek
   * but ambiguous anywhere else ("R1", "V3").
   */
  about: Refs,
  vetoes: Refs,
  /**
   * Cue sets that rule the term out in its paragraph whatever else is there,
   * required cues included: the marks of a different subject that shares the
   * words (China's own controls on gallium; ITAR).
   */
  excludes: Refs,
  /** Cue sets that rule the term out when one starts within 40 characters after it ("distilled the whole debate into…"). */
  vetoesAfter: Refs,
  /**
   * A cue set of name parts: the match goes on over hyphenated parts from it
   * or with a digit, so "DeepSeek-V3-Base" and "DeepSeek-R1-0528" are one name.
   */
  nameParts: v.optional(v.pipe(v.string(), v.maxLength(80))),
  /**
   * A bare short name ("R1"): it does not count right after another name
   * written like a brand (capitals inside or all capitals, "MobileNet V3",
   * "YZF-R1") that is not one of the topic's own.
   */
  standalone: v.optional(v.boolean()),
  /**
   * Where to look for required cues: the same block (paragraph) or the whole
   * page. Vetoes count in the block; with page scope a required cue in the
   * block outweighs a veto there, and a page about a veto (and not about a
   * required cue) rejects the term too.
   */
  scope: v.optional(v.picklist(['block', 'page'])),
});

export const TopicSchema = v.strictObject({
  id: Id,
  name: Phrase,
  description: Text,
  terms: v.pipe(v.array(TermSchema), v.minLength(1), v.maxLength(L.termsPerTopic, atMost(L.termsPerTopic, 'terms'))),
});

export const CueSetSchema = v.strictObject({
  description: v.optional(Text),
  phrases: v.pipe(v.array(Phrase), v.minLength(1), v.maxLength(L.phrasesPerSet, atMost(L.phrasesPerSet, 'phrases'))),
});

export const SourceSchema = v.strictObject({
  id: Id,
  publisher: Text,
  title: Text,
  date: v.optional(IsoDate),
  url: v.optional(HttpsUrl),
  reliability: v.picklist(['primary', 'major', 'secondary']),
  /**
   * True when `title` is our description of the source (a report, an
   * interview, a post) rather than its real headline, so the card can show it
   * as a description and not in quotation marks.
   */
  description: v.optional(v.boolean()),
});

export const FactSchema = v.strictObject({
  text: Text,
  date: v.optional(IsoDate),
  sourceIds: v.pipe(v.array(Id), v.minLength(1, 'every fact needs a source'), v.maxLength(L.listItems, atMost(L.listItems, 'sources'))),
});

export const ViewpointSchema = v.strictObject({
  /** Short label shown on the viewpoint, e.g. "The figure was misread". */
  label: Text,
  /** Where the viewpoint stands on the card's question. Contested cards need both "yes" and "no". */
  stance: v.picklist(['yes', 'no']),
  /** Named people or organisations who hold it. */
  holders: v.pipe(v.array(Phrase), v.minLength(1), v.maxLength(L.listItems, atMost(L.listItems, 'holders'))),
  argument: Text,
  sourceIds: v.pipe(v.array(Id), v.minLength(1, 'every viewpoint needs a source'), v.maxLength(L.listItems, atMost(L.listItems, 'sources'))),
});

export const CardSchema = v.strictObject({
  id: Id,
  topicId: Id,
  /** The reader's question, e.g. "What does the $6 million figure cover?" */
  question: Text,
  summary: v.pipe(
    Text,
    v.check((s) => s.split(/\s+/).length <= 70, 'summary must be at most ~60 words'),
  ),
  /** Phrases that make this the right card for a mention's surrounding text. */
  cues: v.pipe(v.array(Phrase), v.maxLength(L.listItems, atMost(L.listItems, 'cue phrases'))),
  facts: v.pipe(v.array(FactSchema), v.minLength(1), v.maxLength(L.listItems, atMost(L.listItems, 'facts'))),
  contested: v.boolean(),
  viewpoints: v.pipe(v.array(ViewpointSchema), v.maxLength(L.listItems, atMost(L.listItems, 'viewpoints'))),
  /** Where sources disagree, what they disagree on. */
  disagreement: v.optional(Text),
  /**
   * The latest day the card's text was checked against a source. Optional in
   * the schema so older files still load; the bundled dataset's tests require
   * it on every card.
   */
  asOf: v.optional(IsoDay),
  /**
   * The card's own words for its two sides, answering its question
   * ("Misleading" / "Fair as stated"): shown instead of a bare yes/no.
   */
  sides: v.optional(v.strictObject({ yes: Phrase, no: Phrase })),
  /** Plain-language explanations of jargon the card uses (FP8, 3A090, temperature…). */
  glossary: v.optional(v.pipe(v.array(v.strictObject({ term: Phrase, explanation: Text })), v.maxLength(L.listItems, atMost(L.listItems, 'glossary entries')))),
  /**
   * For a definition card: ids of the two or three debates nearest to it.
   * Not checked against the file's cards here: a reader's file may hold a
   * subset, and the card shows only the ones it can find.
   */
  related: v.optional(v.pipe(v.array(Id), v.maxLength(L.listItems, atMost(L.listItems, 'related cards')))),
});

export const DatasetSchema = v.strictObject({
  schemaVersion: v.literal(1),
  /** Bumped on every content change; the background reloads when it differs. */
  version: v.pipe(v.string(), v.regex(/^\d{4}\.\d{2}\.\d{2}(\.\d+)?$/, 'must look like 2026.11.22 or 2026.11.22.1')),
  reviewed: IsoDate,
  cues: v.pipe(
    v.record(Id, CueSetSchema),
    v.check((cues) => Object.keys(cues).length <= L.cueSets, `at most ${L.cueSets} cue sets`),
  ),
  topics: v.pipe(v.array(TopicSchema), v.minLength(1), v.maxLength(L.topics, atMost(L.topics, 'topics'))),
  sources: v.pipe(v.array(SourceSchema), v.maxLength(L.sources, atMost(L.sources, 'sources'))),
  cards: v.pipe(v.array(CardSchema), v.maxLength(L.cards, atMost(L.cards, 'cards'))),
});

export type Term = v.InferOutput<typeof TermSchema>;
export type Topic = v.InferOutput<typeof TopicSchema>;
export type CueSet = v.InferOutput<typeof CueSetSchema>;
export type Source = v.InferOutput<typeof SourceSchema>;
export type Fact = v.InferOutput<typeof FactSchema>;
export type Viewpoint = v.InferOutput<typeof ViewpointSchema>;
export type Card = v.InferOutput<typeof CardSchema>;
export type Dataset = v.InferOutput<typeof DatasetSchema>;

/** One problem found in a dataset file: where (a JSON path) and what. */
export interface DatasetIssue {
  path: string;
  message: string;
}

export type ParseResult = { ok: true; dataset: Dataset } | { ok: false; issues: DatasetIssue[] };

/**
 * Validates unknown input (parsed JSON) as a dataset. Never throws: the caller
 * shows `issues` to the user and changes nothing.
 */
export function parseDataset(input: unknown): ParseResult {
  const result = v.safeParse(DatasetSchema, input);
  if (!result.success) {
    return {
      ok: false,
      issues: result.issues.slice(0, 20).map((issue) => ({
        path: formatPath(issue.path),
        message: issue.message,
      })),
    };
  }
  const issues = checkReferences(result.output);
  return issues.length ? { ok: false, issues } : { ok: true, dataset: result.output };
}

/** Parses dataset text (a file the user picked). JSON syntax errors become issues too. */
export function parseDatasetText(text: string): ParseResult {
  if (text.length > L.fileChars) {
    const mb = (n: number) => (n / 1_000_000).toFixed(1);
    return { ok: false, issues: [{ path: '(file)', message: `the file is ${mb(text.length)} MB; a dataset can be at most ${mb(L.fileChars)} MB` }] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      issues: [{ path: '(file)', message: `not valid JSON: ${(error as Error).message}` }],
    };
  }
  return parseDataset(json);
}

function checkReferences(data: Dataset): DatasetIssue[] {
  const issues: DatasetIssue[] = [];
  const topicIds = unique(
    data.topics.map((t) => t.id),
    'topics',
    issues,
  );
  const sourceIds = unique(
    data.sources.map((s) => s.id),
    'sources',
    issues,
  );
  unique(
    data.cards.map((c) => c.id),
    'cards',
    issues,
  );
  const cueNames = new Set(Object.keys(data.cues));

  data.topics.forEach((topic, ti) => {
    topic.terms.forEach((term, i) => {
      for (const ref of [
        ...(term.requires ?? []),
        ...(term.about ?? []),
        ...(term.vetoes ?? []),
        ...(term.excludes ?? []),
        ...(term.vetoesAfter ?? []),
        ...(term.nameParts ? [term.nameParts] : []),
      ]) {
        const known = ref.startsWith('@') ? topicIds.has(ref.slice(1)) : cueNames.has(ref);
        if (!known) issues.push({ path: `topics[${ti}].terms[${i}]`, message: `unknown cue set "${ref}"` });
      }
    });
  });

  data.cards.forEach((card, ci) => {
    const at = `cards[${ci}] (${card.id})`;
    if (!topicIds.has(card.topicId)) issues.push({ path: `${at}.topicId`, message: `unknown topic "${card.topicId}"` });
    card.facts.forEach((fact, i) => {
      for (const id of fact.sourceIds) {
        if (!sourceIds.has(id)) issues.push({ path: `${at}.facts[${i}]`, message: `unknown source "${id}"` });
      }
    });
    card.viewpoints.forEach((vp, i) => {
      for (const id of vp.sourceIds) {
        if (!sourceIds.has(id)) issues.push({ path: `${at}.viewpoints[${i}]`, message: `unknown source "${id}"` });
      }
    });
    const stances = new Set(card.viewpoints.map((vp) => vp.stance));
    if (card.contested && !(stances.has('yes') && stances.has('no'))) {
      issues.push({ path: at, message: 'a contested card needs opposing viewpoints (both "yes" and "no")' });
    }
    if (!card.contested && card.viewpoints.length === 1) {
      issues.push({ path: at, message: 'a single viewpoint cannot stand without its opposite' });
    }
  });
  return issues;
}

function unique(ids: string[], what: string, issues: DatasetIssue[]): Set<string> {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) issues.push({ path: what, message: `duplicate id "${id}"` });
    seen.add(id);
  }
  return seen;
}

function formatPath(path: v.IssuePathItem[] | undefined): string {
  if (!path?.length) return '(root)';
  return path
    .map((item) => (typeof item.key === 'number' ? `[${item.key}]` : `.${String(item.key)}`))
    .join('')
    .replace(/^\./, '');
}

function isRealDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number);
  if (m === undefined) return true;
  if (m < 1 || m > 12) return false;
  if (d === undefined) return true;
  const date = new Date(Date.UTC(y!, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
