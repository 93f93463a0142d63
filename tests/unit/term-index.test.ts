import { describe, expect, it } from 'vitest';
import dataset from '../../lib/dataset/dataset.json';
import type { Dataset } from '../../lib/dataset/schema';
import { DATASET_LIMITS as L } from '../../lib/limits';
import { MATCHER_BUILD, topicTermForms } from '../../lib/matcher';
import { buildTermIndex, parseTermIndex } from '../../lib/term-index';

const data = dataset as Dataset;
const index = buildTermIndex(data.version, data.topics, data.cues);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a broken index has no type to name
type Loose = any;
/** A fresh, plain copy (what storage hands back), changed by `edit`. */
const variant = (edit: (x: Loose) => void) => {
  const copy = structuredClone(index) as Loose;
  edit(copy);
  return copy;
};

describe('buildTermIndex', () => {
  it('carries each topic’s term forms as the gate works them out, marked with the matcher code that did it', () => {
    expect(index.forms?.build).toBe(MATCHER_BUILD);
    for (const topic of data.topics) expect(index.forms?.byTopic[topic.id]).toEqual([...topicTermForms(topic)]);
    expect(Object.keys(index.forms!.byTopic)).toHaveLength(data.topics.length);
  });

  it('leaves the forms out when they would be large, so every page does not read them', () => {
    const many = data.topics.map((t) => ({ ...t, terms: Array.from({ length: 2000 }, (_, i) => ({ text: `term number ${i} of ${t.id}`, inflect: true })) }));
    const big = buildTermIndex(data.version, many, data.cues);
    expect(big.forms).toBeUndefined();
    expect(big.spec.topics[0]!.terms).toHaveLength(2000);
  });
});

describe('parseTermIndex', () => {
  it('reads back the index built from the bundled dataset, as a copy', () => {
    const parsed = parseTermIndex(structuredClone(index));
    expect(parsed).toEqual(index);
    expect(parsed).not.toBe(index);
  });

  it('keeps only the fields an index has', () => {
    const parsed = parseTermIndex(
      variant((x) => {
        x.extra = 'x';
        x.spec.topics[0].terms[0].onHover = 'alert(1)';
        x.topics[0].colour = 'red';
      }),
    )!;
    expect(parsed).not.toHaveProperty('extra');
    expect(parsed.spec.topics[0]!.terms[0]).not.toHaveProperty('onHover');
    expect(parsed.topics[0]).not.toHaveProperty('colour');
    expect(parsed.spec.topics[0]!.terms[0]!.text).toBe(index.spec.topics[0]!.terms[0]!.text);
  });

  const broken: [string, unknown][] = [
    ['nothing', undefined],
    ['null', null],
    ['an array', [index]],
    ['a string', JSON.stringify(index)],
    ['no spec', variant((x) => delete x.spec)],
    ['a numeric version', variant((x) => (x.version = 3))],
    ['a topic id with capitals', variant((x) => (x.topics[0].id = 'DeepSeek'))],
    ['a spec topic id with a space', variant((x) => (x.spec.topics[0].id = 'deep seek'))],
    ['a term too long', variant((x) => (x.spec.topics[0].terms[0].text = 'x'.repeat(L.phraseChars + 1)))],
    ['a term that is not text', variant((x) => (x.spec.topics[0].terms[0].text = ['DeepSeek']))],
    ['a flag that is not a boolean', variant((x) => (x.spec.topics[0].terms[0].inflect = 'yes'))],
    ['a null flag', variant((x) => (x.spec.topics[0].terms[0].caseSensitive = null))],
    ['an unknown scope', variant((x) => (x.spec.topics[0].terms[0].scope = 'site'))],
    ['a rule list of 21', variant((x) => (x.spec.topics[0].terms[0].requires = Array.from({ length: 21 }, (_, i) => `c${i}`)))],
    ['a rule naming a non-string', variant((x) => (x.spec.topics[0].terms[0].vetoes = [1]))],
    ['a rule list that is a string', variant((x) => (x.spec.topics[0].terms[0].about = 'ai'))],
    ['name parts too long', variant((x) => (x.spec.topics[0].terms[0].nameParts = 'p'.repeat(81)))],
    ['too many topics', variant((x) => (x.topics = Array.from({ length: L.topics + 1 }, (_, i) => ({ id: `t${i}`, name: 'T', description: '' }))))],
    ['too many terms', variant((x) => (x.spec.topics[0].terms = Array.from({ length: L.termsPerTopic + 1 }, () => ({ text: 'x' }))))],
    ['too many cue sets', variant((x) => (x.spec.cues = Object.fromEntries(Array.from({ length: L.cueSets + 1 }, (_, i) => [`c${i}`, { phrases: [] }]))))],
    ['a cue set name too long', variant((x) => (x.spec.cues['n'.repeat(81)] = { phrases: [] }))],
    ['cue phrases that are not a list', variant((x) => (x.spec.cues[Object.keys(x.spec.cues)[0]!].phrases = 'ai'))],
    ['too many cue phrases', variant((x) => (x.spec.cues[Object.keys(x.spec.cues)[0]!].phrases = Array.from({ length: L.phrasesPerSet + 1 }, () => 'x')))],
    ['a description too long', variant((x) => (x.topics[0].description = 'd'.repeat(L.textChars + 1)))],
    ['term forms that are not a list', variant((x) => (x.forms.byTopic[x.topics[0].id] = 'deepseek'))],
    ['a term form token that is not text', variant((x) => (x.forms.byTopic[x.topics[0].id] = [['deepseek', 3]]))],
    ['term forms under a malformed topic id', variant((x) => (x.forms.byTopic['Deep Seek'] = [['deepseek']]))],
    ['term forms without their build', variant((x) => delete x.forms.build)],
    ['term forms too large', variant((x) => (x.forms.byTopic[x.topics[0].id] = Array.from({ length: 20_000 }, () => ['t'.repeat(10)])))],
  ];
  it.each(broken)('refuses %s', (_, raw) => {
    expect(parseTermIndex(raw)).toBeNull();
  });

  it('accepts what is at the limits', () => {
    const atLimits = variant((x) => {
      x.spec.topics[0].terms[0].text = 'x'.repeat(L.phraseChars);
      x.spec.topics[0].terms[0].requires = Array.from({ length: 20 }, (_, i) => `c${i}`);
      x.spec.topics[0].terms[0].scope = 'page';
      x.topics[0].id = 'a'.repeat(64);
    });
    expect(parseTermIndex(atLimits)?.spec.topics[0]!.terms[0]!.requires).toHaveLength(20);
  });
});
