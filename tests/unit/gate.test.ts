/**
 * The gate says "no" only where the matcher finds nothing: checked on every
 * form of every term, on random texts built from the dataset's own words, and
 * on the labeled fixture pages, block by block and as one run of text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCueGate, compileGate, compileMatcher, formsIn, mayMatch, scanBlock, topicTermForms, type MatcherSpec } from '../../lib/matcher';
import dataset from '../../lib/dataset/dataset.json';
import type { Dataset } from '../../lib/dataset/schema';

const data = dataset as Dataset;
const spec: MatcherSpec = { topics: data.topics, cues: data.cues };
const matcher = compileMatcher(spec);
const gate = compileGate(spec)!;

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Texts of the dataset's own words (terms, cue phrases and `extra`), joined
 * the ways a page may join them, some in upper or lower case, some with a
 * soft hyphen inside a word: the same `count` texts for the same seed.
 */
function randomTexts(seed: number, count: number, extra: string[], maxParts: number): string[] {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const phrases = [...data.topics.flatMap((t) => t.terms.map((term) => term.text)), ...Object.values(data.cues).flatMap((c) => c.phrases), ...extra];
  const joiners = [' ', ' ', '-', '.', '\u00a0', '\n  ', '', ', ', '’s ', '\u200b', ' \u00ad'];
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const parts: string[] = [];
    for (let k = 1 + Math.floor(rnd() * maxParts); k > 0; k--) {
      let phrase = pick(phrases);
      if (rnd() < 0.2) phrase = phrase.toUpperCase();
      else if (rnd() < 0.1) phrase = phrase.toLowerCase();
      if (rnd() < 0.1) phrase = phrase.replace(/(\p{L})(\p{L})/u, '$1\u00ad$2');
      parts.push(phrase, pick(joiners));
    }
    texts.push(parts.join(''));
  }
  return texts;
}

describe('compileGate', () => {
  it('builds the same pattern from the forms an index carries as from the terms, for every set of topics', () => {
    const ids = data.topics.map((t) => t.id);
    const byTopic = Object.fromEntries(data.topics.map((t) => [t.id, [...topicTermForms(t)]]));
    for (let mask = 1; mask < 1 << ids.length; mask++) {
      const enabled = new Set(ids.filter((_, i) => mask & (1 << i)));
      expect(compileGate(spec, enabled, byTopic)!.pattern.source).toBe(compileGate(spec, enabled)!.pattern.source);
    }
    // A topic the forms leave out has its forms worked out from its terms.
    const { [ids[0]!]: _left, ...rest } = byTopic;
    expect(compileGate(spec, undefined, rest)!.pattern.source).toBe(gate.pattern.source);
    // And the forms given are what it is built from.
    expect(compileGate(spec, new Set([ids[0]!]), { [ids[0]!]: [['zebra', 'crossing']] })!.pattern.source).not.toBe(
      compileGate(spec, new Set([ids[0]!]))!.pattern.source,
    );
  });

  it('passes every form of every term, in its own case, upper case, and with soft hyphens and zero-width spaces inside its words', () => {
    let forms = 0;
    for (const norms of data.topics.flatMap((topic) => [...topicTermForms(topic)])) {
      forms++;
      const text = norms.join(' ');
      for (const variant of [text, text.toUpperCase(), text.replace(/(\p{L})(\p{L})/gu, '$1\u00ad$2'), norms.join('\u200b-\u00a0')])
        expect(mayMatch(gate, `Before. ${variant} after.`), variant).toBe(true);
    }
    expect(forms).toBeGreaterThan(100);
  });

  it('never says no to a text in which the matcher finds a candidate (3,000 random texts of the dataset’s own words)', () => {
    let withCandidates = 0;
    let refused = 0;
    for (const text of randomTexts(14, 3000, ['the', 'said on Monday', 'again', 'model', '2025'], 6)) {
      const found = scanBlock(matcher, text).candidates.length > 0;
      if (found) withCandidates++;
      if (found) {
        expect(mayMatch(gate, text), JSON.stringify(text)).toBe(true);
        expect(mayMatch(gate, text, undefined, true), `whole: ${JSON.stringify(text)}`).toBe(true);
      } else if (!mayMatch(gate, text)) refused++;
    }
    // The run means something: many texts held a candidate, and the gate turned many of the others away.
    expect(withCandidates).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(100);
  });

  it('never says no to a labeled fixture page that holds a candidate, block by block or as one run of its text', () => {
    const dir = join(import.meta.dirname, '../fixtures/labeled');
    let blocks = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.html'))) {
      const html = readFileSync(join(dir, file), 'utf8');
      // Blocks the way a reader's eye splits them; entities for quotes and dashes decoded as the browser would.
      const text = (s: string) =>
        s
          .replace(/<[^>]+>/g, '')
          .replace(/&nbsp;/g, '\u00a0')
          .replace(/&amp;/g, '&')
          .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
      const all = [...html.matchAll(/<(p|h[1-6]|li|td|th|figcaption|blockquote|dd|dt)\b[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => text(m[2]!));
      for (const block of all) {
        if (!scanBlock(matcher, block).candidates.length) continue;
        blocks++;
        expect(mayMatch(gate, block), `${file}: ${block.slice(0, 120)}`).toBe(true);
        expect(mayMatch(gate, block, undefined, true), `whole, ${file}: ${block.slice(0, 120)}`).toBe(true);
      }
      // textContent runs the words of neighbouring blocks together, with no space between them.
      if (all.some((b) => scanBlock(matcher, b).candidates.length)) expect(mayMatch(gate, all.join('')), file).toBe(true);
    }
    expect(blocks).toBeGreaterThan(50);
  });

  it('never says no, looking for whole words, where the matcher finds a candidate among words glued to names (3,000 random texts)', () => {
    // Names glued to letters and digits on either side, as pages print model numbers, codes and times.
    const rnd = random(53);
    const glue = ['', 'a', 'x1', '2025', '09:02', '-', '_', 'é', '深', 'ﾌ', 'DeepSeek', 's', 'es', '1', 'Bar', '’s'];
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    let withCandidates = 0;
    let refused = 0;
    for (const core of randomTexts(54, 3000, ['R1', 'V3', 'H800', 'BIS', 'Bishop', 'RAV4'], 2)) {
      const text = `${pick(glue)}${core.trim()}${pick(glue)}`;
      const found = scanBlock(matcher, text).candidates.length > 0;
      if (found) {
        withCandidates++;
        expect(mayMatch(gate, text, undefined, true), JSON.stringify(text)).toBe(true);
      } else if (mayMatch(gate, text) && !mayMatch(gate, text, undefined, true)) refused++;
    }
    expect(withCandidates).toBeGreaterThan(500);
    // And it turned away texts the substring test let through.
    expect(refused).toBeGreaterThan(100);
  });

  it('looks for whole words where blocks stand apart: a name inside a longer word is no match', () => {
    const whole = (text: string) => mayMatch(gate, text, undefined, true);
    for (const text of ['Toyota RAV4 hybrid', 'the bishop of Durham', 'bar1 pricing test', 'kv3 cache', 'the R10 highway', 'H8000 series', 'AR15'])
      expect([text, mayMatch(gate, text), whole(text)]).toEqual([text, true, false]);
    for (const text of ['DeepSeek R1', '(R1)', 'DeepSeek-R1', 'R1’s launch', 'DeepSeek1', '2025DeepSeek', 'two H800s', 'the BIS said', 'V3.', '深度求索发布'])
      expect([text, whole(text)]).toEqual([text, true]);
  });

  it('tells a native read with no form from one with forms only inside words and one with a whole word', () => {
    expect(formsIn(gate, 'The committee met again.')).toBe('none');
    expect(formsIn(gate, '')).toBe('none');
    expect(formsIn(gate, 'Toyota RAV4 review. Bar1 pricing.')).toBe('inside');
    // Two blocks run together by the read: only the walk's batches can tell.
    expect(formsIn(gate, 'Nvidia shares fellR1 launched')).toBe('inside');
    expect(formsIn(gate, 'ＤｅｅｐＳｅｅｋ released R1.')).toBe('whole');
    expect(formsIn(gate, 'Toyota RAV4 and DeepSeek')).toBe('whole');
  });

  it('says no to text that names none of the enabled topics’ terms', () => {
    expect(mayMatch(gate, 'The committee will meet again next month to review the budget and the transport plan.')).toBe(false);
    expect(mayMatch(gate, '')).toBe(false);
    const distillationOnly = compileGate(spec, new Set(['distillation']));
    expect(mayMatch(distillationOnly, 'DeepSeek released V3 under US export controls.')).toBe(false);
    expect(mayMatch(distillationOnly, 'Model distillation, explained.')).toBe(true);
  });

  it('is null when no topic is enabled: no text can hold a candidate', () => {
    const none = compileGate(spec, new Set());
    expect(none).toBeNull();
    expect(mayMatch(none, 'DeepSeek')).toBe(false);
  });
});

describe('compileCueGate', () => {
  const names = [...matcher.aboutNames];
  const cueGate = compileCueGate(spec, names);
  // A gate for cues alone: of the terms, only a phrase no text holds.
  const noTerm = compileGate(spec, new Set([data.topics[0]!.id]), { [data.topics[0]!.id]: [['\u0001']] });

  it('never says no to a text in which the matcher finds one of its cues (3,000 random texts of the dataset’s own words)', () => {
    let withCues = 0;
    let refused = 0;
    for (const text of randomTexts(41, 3000, ['the', 'said', 'price', 'farms', '2025'], 5)) {
      const found = scanBlock(matcher, text).cueHits.some((hit) => names.includes(hit.name));
      if (found) withCues++;
      if (found) expect(mayMatch(noTerm, text, cueGate), JSON.stringify(text)).toBe(true);
      else if (!mayMatch(noTerm, text, cueGate)) refused++;
    }
    expect(withCues).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(50);
  });

  it('looks for the short all-caps cues as written, and for the others in any case', () => {
    const ai = compileCueGate(spec, ['ai']);
    expect(mayMatch(noTerm, 'The AI race goes on.', ai)).toBe(true);
    expect(mayMatch(noTerm, 'She said it again, plainly.', ai)).toBe(false);
    expect(mayMatch(noTerm, 'OPENAI and ANTHROPIC', ai)).toBe(true);
    expect(mayMatch(noTerm, 'a language-model lab', ai)).toBe(true);
  });

  it('reads a topic’s name as its terms, and knows only the cues it is given', () => {
    const deepseek = compileCueGate(spec, ['@deepseek']);
    expect(mayMatch(noTerm, 'Liang Wenfeng spoke.', deepseek)).toBe(true);
    expect(mayMatch(noTerm, 'Nvidia chips in short supply.', deepseek)).toBe(false);
    const none = compileCueGate(spec, []);
    expect(none.lower).toBeNull();
    expect(none.exact).toBeNull();
    expect(mayMatch(noTerm, 'Nvidia chips and AI labs.', none)).toBe(false);
    // The term gate still answers for the terms.
    expect(mayMatch(gate, 'DeepSeek', none)).toBe(true);
  });
});
