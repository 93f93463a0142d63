/**
 * The term index: what a content script needs to scan a page (topic names,
 * terms and cue sets), built from a dataset by the background and published
 * to storage.local.
 *
 * A content script can write storage.local too, so what it reads back is
 * checked before it is compiled: the shape, and limits generous for any real
 * dataset but small enough that a planted index cannot make every page slow.
 */
import type { CueSet, Term, Topic } from './dataset/schema';
import { DATASET_LIMITS as L } from './limits';
import { MATCHER_BUILD, topicTermForms } from './matcher';
import type { TermIndex } from './protocol';

/** Where the background publishes the term index, for content scripts to read without waking it. */
export const TERM_INDEX_KEY = 'termIndex';

/**
 * The term forms ride along with the index up to this many characters of
 * tokens (the bundled dataset's take about 3,600); past it, content scripts
 * work them out themselves rather than read them on every page.
 */
const FORMS_MAX_CHARS = 100_000;
/** An inflected term has at most this many forms (lib/matcher/inflect.ts makes up to 17). */
const FORMS_PER_TERM = 20;

export function buildTermIndex(version: string, topics: Topic[], cues: Record<string, Pick<CueSet, 'phrases'>>): TermIndex {
  const index: TermIndex = {
    version,
    topics: topics.map(({ id, name, description }) => ({ id, name, description })),
    spec: {
      topics: topics.map(({ id, terms }) => ({ id, terms })),
      cues: Object.fromEntries(Object.entries(cues).map(([name, set]) => [name, { phrases: set.phrases }])),
    },
  };
  const byTopic = Object.fromEntries(topics.map((topic) => [topic.id, [...topicTermForms(topic)]]));
  if (formsChars(byTopic) <= FORMS_MAX_CHARS) index.forms = { build: MATCHER_BUILD, byTopic };
  return index;
}

/** The size of term forms as the index holds them: their tokens, each with a little for its quotes and comma. */
function formsChars(byTopic: Record<string, string[][]>): number {
  let chars = 0;
  for (const forms of Object.values(byTopic)) for (const form of forms) for (const token of form) chars += token.length + 3;
  return chars;
}

/**
 * The index if `raw` is a well-formed one within limits, else null. The
 * answer is a fresh copy holding only the fields an index has.
 *
 * Written out by hand rather than as a schema: every content script runs it,
 * cold, on every page with text, and a schema library's general machinery
 * cost several milliseconds there where these loops cost a fraction of one.
 */
export function parseTermIndex(raw: unknown): TermIndex | null {
  try {
    return readIndex(raw);
  } catch (error) {
    if (error instanceof Malformed) return null;
    throw error;
  }
}

class Malformed extends Error {}

function fail(): never {
  throw new Malformed();
}

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const RULE_LISTS = ['requires', 'about', 'excludes', 'vetoesAfter', 'vetoes'] as const;

function record(x: unknown): Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : fail();
}

function list(x: unknown, max: number): unknown[] {
  return Array.isArray(x) && x.length <= max ? x : fail();
}

function text(x: unknown, max: number): string {
  return typeof x === 'string' && x.length <= max ? x : fail();
}

function id(x: unknown): string {
  return typeof x === 'string' && ID.test(x) ? x : fail();
}

function flag(x: unknown): boolean | undefined {
  return x === undefined || typeof x === 'boolean' ? x : fail();
}

function readTerm(raw: unknown): Term {
  const t = record(raw);
  const term: Term = { text: text(t.text, L.phraseChars) };
  for (const key of ['inflect', 'caseSensitive', 'standalone'] as const) {
    const value = flag(t[key]);
    if (value !== undefined) term[key] = value;
  }
  for (const key of RULE_LISTS) {
    if (t[key] !== undefined) term[key] = list(t[key], 20).map((name) => text(name, 80));
  }
  if (t.nameParts !== undefined) term.nameParts = text(t.nameParts, 80);
  if (t.scope !== undefined) term.scope = t.scope === 'block' || t.scope === 'page' ? t.scope : fail();
  return term;
}

function readIndex(raw: unknown): TermIndex {
  const index = record(raw);
  const spec = record(index.spec);
  const cues = record(spec.cues);
  const cueNames = Object.keys(cues);
  if (cueNames.length > L.cueSets) fail();
  const cueSets: TermIndex['spec']['cues'] = {};
  for (const name of cueNames) {
    text(name, 80);
    cueSets[name] = { phrases: list(record(cues[name]).phrases, L.phrasesPerSet).map((phrase) => text(phrase, L.phraseChars)) };
  }
  const read: TermIndex = {
    version: text(index.version, 100),
    topics: list(index.topics, L.topics).map((raw) => {
      const topic = record(raw);
      return { id: id(topic.id), name: text(topic.name, L.phraseChars), description: text(topic.description, L.textChars) };
    }),
    spec: {
      topics: list(spec.topics, L.topics).map((raw) => {
        const topic = record(raw);
        return { id: id(topic.id), terms: list(topic.terms, L.termsPerTopic).map(readTerm) };
      }),
      cues: cueSets,
    },
  };
  if (index.forms !== undefined) read.forms = readForms(index.forms);
  return read;
}

function readForms(raw: unknown): NonNullable<TermIndex['forms']> {
  const forms = record(raw);
  const byTopic = record(forms.byTopic);
  const ids = Object.keys(byTopic);
  if (ids.length > L.topics) fail();
  const read: Record<string, string[][]> = {};
  for (const topicId of ids) {
    read[id(topicId)] = list(byTopic[topicId], L.termsPerTopic * FORMS_PER_TERM).map((form) =>
      list(form, L.phraseChars).map((token) => text(token, L.phraseChars + 8)),
    );
  }
  if (formsChars(read) > FORMS_MAX_CHARS) fail();
  return { build: text(forms.build, 64), byTopic: read };
}
