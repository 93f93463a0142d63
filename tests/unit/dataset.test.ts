/**
 * The bundled dataset's own checks: shape, references, balance, sourcing,
 * formatting, freshness (an as-of date on every card, no lapsed "until"
 * dates), duplicate sources, side labels and glossaries, and that the seed
 * articles' key claims lead to the card that answers them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMatcher, resolveBlock, scanBlock } from '../../lib/matcher';
import { rankCards, sentenceAround } from '../../lib/cards';
import { parseDataset, type Dataset } from '../../lib/dataset/schema';
import { corpusSuite } from '../../scripts/lib/corpus';
import { readSeeds } from '../../scripts/lib/seeds';

const file = resolve(import.meta.dirname, '../../lib/dataset/dataset.json');
const raw = readFileSync(file, 'utf8');
const data = JSON.parse(raw) as Dataset;

type Card = Dataset['cards'][number];
type Source = Dataset['sources'][number];

/** Everything a card says, as one string. */
function cardText(card: Card): string {
  return [
    card.question,
    card.summary,
    ...card.facts.map((f) => f.text),
    ...card.viewpoints.flatMap((v) => [v.label, v.argument]),
    card.disagreement ?? '',
  ].join(' ');
}

/** The first day an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) can mean. */
function earliestDay(date: string): string {
  return date.length === 4 ? `${date}-01-01` : date.length === 7 ? `${date}-01` : date;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
/** A date as prose writes it: 27 Nov 2026, November 27, 2026, November 2026, Q1 2026, 2026-11-27, 2026. */
const DATE = new RegExp(
  `(?:(\\d{1,2}) ${MONTH}\\.? (\\d{4})|${MONTH}\\.? (\\d{1,2}),? (\\d{4})|${MONTH} (\\d{4})|Q([1-4]) (\\d{4})|(\\d{4})-(\\d{2})-(\\d{2})|(\\d{4}))`,
  'i',
);
const DEADLINE = new RegExp(`\\b(until|till|planned for|planned|scheduled for|due|expires?|expiring)\\b([^.;]{0,40}?)${DATE.source}`, 'gi');

/** The last day a written date can mean (a month or quarter runs to its end). */
function lastDay(m: RegExpMatchArray, at: number): string {
  const g = (i: number) => m[at + i];
  const pad = (n: number) => String(n).padStart(2, '0');
  const monthEnd = (y: number, mo: number) => `${y}-${pad(mo)}-${pad(new Date(Date.UTC(y, mo, 0)).getUTCDate())}`;
  const month = (s: string) => MONTHS.indexOf(s.slice(0, 3).toLowerCase()) + 1;
  if (g(1)) return `${g(3)}-${pad(month(g(2)!))}-${pad(Number(g(1)))}`;
  if (g(4)) return `${g(6)}-${pad(month(g(4)!))}-${pad(Number(g(5)))}`;
  if (g(7)) return monthEnd(Number(g(8)), month(g(7)!));
  if (g(9)) return monthEnd(Number(g(10)), Number(g(9)) * 3);
  if (g(11)) return `${g(11)}-${g(12)}-${g(13)}`;
  return `${g(14)}-12-31`;
}

/**
 * Deadlines a text speaks of ("until 27 Nov 2026", "planned for Q1 2026",
 * "due 15 May 2025") that had passed by `asOf`. A text that says what it
 * knows "as of" a date has already put the deadline in its time, and passes.
 */
function lapsedDates(text: string, asOf: string): string[] {
  if (/\bas of\b/i.test(text)) return [];
  const hits: string[] = [];
  for (const m of text.matchAll(DEADLINE)) {
    if (lastDay(m, 2) < asOf) hits.push(m[0]);
  }
  return hits;
}

/**
 * Pairs of sources that are one source listed twice: the same publisher
 * (ignoring "via …" and parenthesised notes, and ".com"), dates that agree
 * as far as both go (or one is missing), and the same link or mostly the
 * same title words (plural and -ing endings aside).
 */
function duplicateSources(sources: Source[]): string[] {
  const minor = new Set('a an and the of on in to for by with its it at as from is are was were s via'.split(' '));
  const publisher = (s: Source) =>
    s.publisher
      .toLowerCase()
      .replace(/\(.*?\)/g, ' ')
      .replace(/\bvia\b.*?(;|$)/g, '$1')
      .replace(/\.(com|org|net|io|news|blog)\b/g, '')
      .replace(/[^a-z0-9;]+/g, ' ')
      .replace(/\s*;\s*/g, ';')
      .trim();
  const words = (t: string) => new Set((t.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !minor.has(w)).map((w) => w.replace(/(ing|es|s)$/, '')));
  const overlap = (a: Set<string>, b: Set<string>) => [...a].filter((w) => b.has(w)).length / Math.min(a.size, b.size);
  const datesAgree = (a?: string, b?: string) => !a || !b || a.startsWith(b) || b.startsWith(a);
  const found: string[] = [];
  sources.forEach((a, i) => {
    for (const b of sources.slice(i + 1)) {
      if (publisher(a) !== publisher(b) || !datesAgree(a.date, b.date)) continue;
      if ((a.url && a.url === b.url) || overlap(words(a.title), words(b.title)) >= 0.6) found.push(`${a.id} = ${b.id}`);
    }
  });
  return found;
}

describe('bundled dataset', () => {
  it('validates against the schema, with every reference resolved', () => {
    const result = parseDataset(data);
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('is stored in canonical formatting (a formatted round-trip is identical)', () => {
    expect(`${JSON.stringify(JSON.parse(raw), null, 2)}\n`).toBe(raw);
  });

  it('has at least 15 cards per topic and 45 in all', () => {
    expect(data.cards.length).toBeGreaterThanOrEqual(45);
    for (const topic of data.topics) {
      expect(data.cards.filter((c) => c.topicId === topic.id).length, topic.id).toBeGreaterThanOrEqual(15);
    }
  });

  it('gives every contested card at least one viewpoint on each side, each with holders and a source', () => {
    for (const card of data.cards) {
      if (!card.contested) continue;
      const stances = new Set(card.viewpoints.map((v) => v.stance));
      expect([...stances].sort(), card.id).toEqual(['no', 'yes']);
      for (const v of card.viewpoints) {
        expect(v.holders.length, card.id).toBeGreaterThan(0);
        expect(v.sourceIds.length, card.id).toBeGreaterThan(0);
      }
    }
  });

  it('sources every fact, and uses every source it lists', () => {
    const used = new Set<string>();
    for (const card of data.cards) {
      for (const f of card.facts) {
        expect(f.sourceIds.length, `${card.id}: ${f.text}`).toBeGreaterThan(0);
        f.sourceIds.forEach((id) => used.add(id));
      }
      card.viewpoints.forEach((v) => v.sourceIds.forEach((id) => used.add(id)));
    }
    expect(data.sources.filter((s) => !used.has(s.id)).map((s) => s.id)).toEqual([]);
  });

  it('links only over https, and holds no markup', () => {
    for (const s of data.sources) if (s.url) expect(s.url, s.id).toMatch(/^https:\/\/[^\s]+$/);
    expect(raw).not.toMatch(/[<>]/);
    expect(raw).not.toMatch(/javascript:/i);
  });

  it('keeps summaries short and card ids prefixed by their topic', () => {
    for (const card of data.cards) {
      expect(card.summary.split(/\s+/).length, card.id).toBeLessThanOrEqual(70);
      expect(card.id.startsWith(`${card.topicId}-`), card.id).toBe(true);
      expect(card.cues.length, card.id).toBeGreaterThan(0);
    }
  });

  it('starts each topic with an uncontested explainer (the card shown when nothing specific matches)', () => {
    for (const topic of data.topics) {
      const first = data.cards.find((c) => c.topicId === topic.id)!;
      expect(first.id, topic.id).toMatch(/-what-(is-it|are-they)$/);
    }
  });
});

describe('freshness', () => {
  it('gives every card a valid as-of date, no later than the review and no earlier than anything it states', () => {
    const asOfPattern = /^\d{4}-\d{2}-\d{2}$/;
    for (const card of data.cards) {
      expect(card.asOf, card.id).toMatch(asOfPattern);
      const asOf = card.asOf!;
      expect(Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)), card.id).toBe(false);
      expect(asOf <= data.reviewed, `${card.id}: as of ${asOf} is after the review (${data.reviewed})`).toBe(true);
      for (const f of card.facts) {
        if (f.date) expect(earliestDay(f.date) <= asOf, `${card.id}: fact dated ${f.date} after as of ${asOf}`).toBe(true);
      }
    }
  });

  it('states no "until", "planned for" or "due" date that had passed by the card’s as-of date', () => {
    const lapsed = data.cards.flatMap((card) =>
      [card.summary, ...card.facts.map((f) => f.text)].flatMap((text) =>
        lapsedDates(text, card.asOf!).map((hit) => `${card.id} (as of ${card.asOf}): "${hit}"`),
      ),
    );
    expect(lapsed).toEqual([]);
  });

  it('finds lapsed dates the way a reader would (the check itself)', () => {
    expect(lapsedDates('China suspended the ban until 27 Nov 2026.', '2026-11-30')).toEqual(['until 27 Nov 2026']);
    expect(lapsedDates('The 950PR is planned for Q1 2026.', '2026-05-01')).toEqual(['planned for Q1 2026']);
    expect(lapsedDates('Compliance is due 15 May 2025.', '2025-06-01')).toEqual(['due 15 May 2025']);
    expect(lapsedDates('A temporary API until December 2025.', '2025-12-02')).toEqual([]);
    expect(lapsedDates('Suspended until 27 Nov 2026.', '2026-05-01')).toEqual([]);
    expect(lapsedDates('As of May 2026 it was suspended until 27 Nov 2026.', '2026-11-30')).toEqual([]);
    expect(lapsedDates('It was due to take effect on 15 May 2025.', '2025-12-01')).toEqual(['due to take effect on 15 May 2025']);
  });
});

describe('readable in a hover', () => {
  it('names the two sides of every contested card in its own words, and only contested cards have sides', () => {
    const generic = /^(yes|no|says yes|says no|for|against|agree|disagree)$/i;
    for (const card of data.cards) {
      if (!card.contested) {
        expect(card.sides, card.id).toBeUndefined();
        continue;
      }
      expect(card.sides, card.id).toBeDefined();
      const { yes, no } = card.sides!;
      for (const label of [yes, no]) {
        expect(label, card.id).not.toMatch(generic);
        expect(label.split(/\s+/).length, `${card.id}: "${label}"`).toBeLessThanOrEqual(5);
      }
      expect(yes.toLowerCase(), card.id).not.toBe(no.toLowerCase());
    }
  });

  it('points every definition card at two or three debates of its own topic', () => {
    const byId = new Map(data.cards.map((c) => [c.id, c]));
    for (const card of data.cards) {
      if (card.contested) {
        expect(card.related, card.id).toBeUndefined();
        continue;
      }
      expect(card.related?.length ?? 0, card.id).toBeGreaterThanOrEqual(2);
      expect(card.related!.length, card.id).toBeLessThanOrEqual(3);
      for (const id of card.related!) {
        const target = byId.get(id);
        expect(target?.contested, `${card.id} → ${id}`).toBe(true);
        expect(target?.topicId, `${card.id} → ${id}`).toBe(card.topicId);
      }
    }
  });

  it('explains the jargon a card uses, and only words the card uses', () => {
    const jargon = [
      'Mixture-of-Experts',
      'FP8',
      'UE8M0',
      'SWE-bench',
      'GPQA',
      'foreign direct product',
      'performance density',
      '3A090',
      'supernode',
      'temperature',
    ];
    for (const card of data.cards) {
      const text = cardText(card).toLowerCase();
      const terms = (card.glossary ?? []).map((g) => g.term.toLowerCase());
      expect(new Set(terms).size, `${card.id}: a glossary term twice`).toBe(terms.length);
      for (const word of jargon) {
        if (text.includes(word.toLowerCase()))
          expect(
            terms.some((t) => t.includes(word.toLowerCase())),
            `${card.id} uses "${word}"`,
          ).toBe(true);
      }
      for (const g of card.glossary ?? []) {
        const words = g.term.toLowerCase().match(/[\p{L}\p{N}-]{3,}/gu) ?? [];
        expect(
          words.some((w) => w !== 'and' && text.includes(w)),
          `${card.id}: glossary "${g.term}" is not used on the card`,
        ).toBe(true);
      }
    }
  });
});

describe('sources', () => {
  it('lists no source twice (same publisher and date, and the same link or title)', () => {
    expect(duplicateSources(data.sources)).toEqual([]);
  });

  it('catches the six duplicates the review of version 2026.11.22.3 found', () => {
    const reviewed = [
      {
        id: 'threadreader-semianalysis-critique',
        publisher: 'Thread Reader (analyst thread on X)',
        title: "Critique of the SemiAnalysis table on DeepSeek's hardware",
        url: 'https://threadreaderapp.com/thread/1885306497346752672',
      },
      { id: 'threadreader-2025-02', publisher: 'Thread Reader (analyst thread)', title: 'Critique of SemiAnalysis DeepSeek GPU estimates', date: '2025-02' },
      {
        id: 'cnbc-2025-02-10-paris',
        publisher: 'CNBC (rewritten in a seed article)',
        title: 'Tech executives on DeepSeek at the Paris AI Action Summit',
        date: '2025-02-10',
      },
      { id: 'cnbc-2025-02-10-paris-summit', publisher: 'CNBC', title: 'Tech executives on DeepSeek at the Paris AI Action Summit', date: '2025-02-10' },
      { id: 'ars-2025-01-altman', publisher: 'Ars Technica (via skylinenews.org)', title: 'Altman on DeepSeek; Microsoft hosts R1', date: '2025-01' },
      {
        id: 'ars-technica-2025-01-deepseek',
        publisher: 'Ars Technica (via skylinenews.org)',
        title: 'Coverage of DeepSeek R1, the distillation claims and Microsoft hosting R1',
        date: '2025-01',
      },
      { id: 'reuters-2025-09-18-huawei-ascend', publisher: 'Reuters via Republic World', title: 'Huawei sets out its Ascend chip roadmap', date: '2025-09-18' },
      { id: 'reuters-2025-09-18-huawei', publisher: 'Reuters (via Republic World)', title: 'Huawei unveils Ascend chip roadmap', date: '2025-09-18' },
      { id: 'cipher-brief-2025-02-louie', publisher: 'The Cipher Brief', title: 'Gilman Louie on DeepSeek and US restrictions', date: '2025-02' },
      { id: 'cipher-brief-2025-02', publisher: 'The Cipher Brief', title: 'Gilman Louie on DeepSeek and US restrictions', date: '2025-02' },
      { id: 'officechai-2025-01-wang', publisher: 'officechai.com (citing CNBC)', title: 'Alexandr Wang on chip controls and Chinese labs', date: '2025-01' },
      { id: 'officechai-wang-2025', publisher: 'OfficeChai (citing CNBC)', title: 'Alexandr Wang on chip controls and Chinese labs', date: '2025' },
    ].map((s) => ({ ...s, reliability: 'secondary' as const }));
    expect(duplicateSources(reviewed)).toHaveLength(6);
  });

  it('finds duplicates the way an editor would (the check itself)', () => {
    const a = {
      id: 'a',
      publisher: 'The Cipher Brief',
      title: 'Gilman Louie on DeepSeek and US restrictions',
      date: '2025-02',
      reliability: 'secondary' as const,
    };
    expect(duplicateSources([a, { ...a, id: 'b' }])).toEqual(['a = b']);
    expect(duplicateSources([a, { ...a, id: 'b', title: 'Gilman Louie on DeepSeek and the US restrictions' }])).toEqual(['a = b']);
    expect(duplicateSources([a, { ...a, id: 'b', publisher: 'The Cipher Brief (via x.com)', date: undefined }])).toEqual(['a = b']);
    expect(duplicateSources([a, { ...a, id: 'b', title: 'Louie on chip smuggling' }])).toEqual([]);
    expect(duplicateSources([a, { ...a, id: 'b', date: '2025-03' }])).toEqual([]);
    const u = { ...a, url: 'https://example.org/x' };
    expect(duplicateSources([u, { ...u, id: 'b', title: 'Another title' }])).toEqual(['a = b']);
  });

  it('marks a title as our description with `description: true`, never `false`', () => {
    expect(data.sources.filter((s) => s.description === false).map((s) => s.id)).toEqual([]);
    expect(data.sources.filter((s) => s.description).length).toBeGreaterThan(0);
  });
});

describe.skipIf(!corpusSuite('seed-article card choice (unit)', 'seeds'))('the seed articles lead to the right card', () => {
  const seeds = readSeeds().flatMap((seed) => seed.lines);
  const matcher = compileMatcher({ topics: data.topics, cues: data.cues });

  /** The card chosen for the first mention of `term` in the seed paragraph containing `near`. */
  function cardFor(near: string, term: string): string {
    const paragraph = seeds.find((p) => p.includes(near));
    if (!paragraph) throw new Error(`no seed paragraph with "${near}"`);
    const scan = scanBlock(matcher, paragraph);
    const mention = resolveBlock(scan, scan.cues).find((c) => paragraph.slice(c.start, c.end).startsWith(term));
    if (!mention) throw new Error(`"${term}" is not a mention in: ${paragraph.slice(0, 120)}`);
    const cards = data.cards.filter((c) => c.topicId === mention.topicId);
    return rankCards(cards, sentenceAround(paragraph, mention.start, mention.end), paragraph)[0]!.id;
  }

  it.each([
    ['the training-cost claim', 'total training cost of less than $6 million', 'DeepSeek', 'deepseek-training-cost'],
    ['the SemiAnalysis hardware estimate', 'SemiAnalysis estimate expenditures', 'DeepSeek', 'deepseek-hardware-estimate'],
    ['OpenAI’s distillation allegation', 'inappropriately', 'distillation', 'distillation-openai-allegation'],
    ['the H800 chips', 'less powerful H800 chips', 'H800', 'export-controls-2023-rule'],
    ['the US Navy ban', 'The US Navy has already prohibited', 'DeepSeek', 'deepseek-security-risk'],
  ])('%s', (_what, near, term, expected) => {
    expect(cardFor(near, term)).toBe(expected);
  });
});

describe('terms and look-alikes from the research notes', () => {
  const matcher = compileMatcher({ topics: data.topics, cues: data.cues });
  const found = (text: string) => {
    const scan = scanBlock(matcher, text);
    return resolveBlock(scan, scan.cues).map((c) => `${c.topicId}:${text.slice(c.start, c.end)}`);
  };

  it.each([
    ['DeepSeek-V3.1 and R1-Zero were released by 深度求索.', ['deepseek:DeepSeek-V3.1', 'deepseek:R1-Zero', 'deepseek:深度求索']],
    ['Liang Wenfeng founded the lab inside High-Flyer, a hedge fund running DeepSeek.', ['deepseek:Liang Wenfeng', 'deepseek:High-Flyer', 'deepseek:DeepSeek']],
    ['Anthropic described distillation attacks on Claude by rival AI labs.', ['distillation:distillation attacks']],
    ['The Entity List now covers more Chinese chip designers.', ['export-controls:Entity List']],
    ['The BIS rule caps GPU sales; the H20 chip needs a licence.', ['export-controls:BIS', 'export-controls:H20']],
    ['New export curbs hit Nvidia chip sales to China.', ['export-controls:export curbs']],
    [
      'The Foreign Direct Product rules and the Foreign-Produced Direct Product Rule reach TSMC.',
      ['export-controls:Foreign Direct Product rules', 'export-controls:Foreign-Produced Direct Product Rule'],
    ],
    ['The team was trying to distil GPT-4 outputs into a smaller model.', ['distillation:distil']],
    ['They distilled the teacher model’s logits into a student.', ['distillation:distilled']],
    ['美国对英伟达芯片实施出口管制。', ['export-controls:出口管制']],
    ['深度求索是一家位于杭州的人工智能公司,研究知识蒸馏。', ['deepseek:深度求索', 'distillation:知识蒸馏']],
    ['大模型的蒸馏技术', ['distillation:蒸馏']],
    ['米国の半導体輸出規制とモデル蒸留', ['export-controls:輸出規制', 'distillation:モデル蒸留']],
  ])('finds the terms in: %s', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it.each([
    'We went on a deep seek for the truth.',
    'Google DeepMind and DeepL announced new tools; Deep Research is a feature.',
    'The distillery uses double distillation for its whisky.',
    'She distilled the report into three points about water distillation.',
    'New export controls on fighter jets and missiles under ITAR.',
    'The BIS (Bank for International Settlements) published its report.',
    'Drink more H20 every day.',
    'India extended its export restrictions on rice and wheat to protect farmers.',
    'Export controls on firearms and rifles are listed on the USML.',
    'China tightened export controls on gallium and germanium.',
    '这是对宇宙奥秘的一次深度求索。',
    '白酒的蒸馏工艺源远流长。',
    'ウイスキーの蒸留所を訪ねた。',
    'She distilled decades of AI policy into three points.',
    'The Rabbit R1 is a small orange gadget.',
    'The school’s chip ban in the canteen lasted a term.',
  ])('ignores the look-alike: %s', (text) => {
    expect(found(text)).toEqual([]);
  });
});
