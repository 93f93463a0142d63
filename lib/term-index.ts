/**
 * The term index: what a content script needs to scan a page (topic names,
 * terms and cue sets), built from a dataset by the background and published
 * to storage.local.
 *
 * A content script can write storage.local too, so what it reads back is
 * checked before it is compiled: the shape, and limits generous for any real
 * dataset but small enough that a planted index cannot make every page slow.
 */
import * as v from 'valibot';
import type { CueSet, Topic } from './dataset/schema';
import { DATASET_LIMITS as L } from './limits';
import type { TermIndex } from './protocol';

export function buildTermIndex(version: string, topics: Topic[], cues: Record<string, Pick<CueSet, 'phrases'>>): TermIndex {
  return {
    version,
    topics: topics.map(({ id, name, description }) => ({ id, name, description })),
    spec: {
      topics: topics.map(({ id, terms }) => ({ id, terms })),
      cues: Object.fromEntries(Object.entries(cues).map(([name, set]) => [name, { phrases: set.phrases }])),
    },
  };
}

const Short = (max: number) => v.pipe(v.string(), v.maxLength(max));
const Id = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,63}$/));
const CueRef = v.pipe(v.string(), v.maxLength(80));

const TermSchema = v.object({
  text: Short(L.phraseChars),
  inflect: v.optional(v.boolean()),
  caseSensitive: v.optional(v.boolean()),
  requires: v.optional(v.pipe(v.array(CueRef), v.maxLength(20))),
  about: v.optional(v.pipe(v.array(CueRef), v.maxLength(20))),
  excludes: v.optional(v.pipe(v.array(CueRef), v.maxLength(20))),
  vetoesAfter: v.optional(v.pipe(v.array(CueRef), v.maxLength(20))),
  nameParts: v.optional(CueRef),
  standalone: v.optional(v.boolean()),
  vetoes: v.optional(v.pipe(v.array(CueRef), v.maxLength(20))),
  scope: v.optional(v.picklist(['block', 'page'])),
});

export const TermIndexSchema = v.object({
  version: Short(100),
  topics: v.pipe(v.array(v.object({ id: Id, name: Short(L.phraseChars), description: Short(L.textChars) })), v.maxLength(L.topics)),
  spec: v.object({
    topics: v.pipe(v.array(v.object({ id: Id, terms: v.pipe(v.array(TermSchema), v.maxLength(L.termsPerTopic)) })), v.maxLength(L.topics)),
    cues: v.pipe(
      v.record(Short(80), v.object({ phrases: v.pipe(v.array(Short(L.phraseChars)), v.maxLength(L.phrasesPerSet)) })),
      v.check((cues) => Object.keys(cues).length <= L.cueSets, 'too many cue sets'),
    ),
  }),
});

/** The index if `raw` is a well-formed one within limits, else null. */
export function parseTermIndex(raw: unknown): TermIndex | null {
  const parsed = v.safeParse(TermIndexSchema, raw);
  return parsed.success ? (parsed.output as TermIndex) : null;
}
