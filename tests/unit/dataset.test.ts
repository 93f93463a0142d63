/**
 * The bundled dataset's own checks: shape, references, balance, sourcing,
 * formatting, and that the seed articles' key claims lead to the card that
 * answers them.
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

describe('bundled dataset', () => {
  it('validates against the schema, with every reference resolved', () => {
    const result = parseDataset(data);
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('is stored in canonical formatting (a formatted round-trip is identical)', () => {
    expect(`${JSON.stringify(JSON.parse(raw), null, 2)}\n`).toBe(raw);
  });

  it('has at least 10 cards per topic and 30 in all', () => {
    expect(data.cards.length).toBeGreaterThanOrEqual(30);
    for (const topic of data.topics) {
      expect(data.cards.filter((c) => c.topicId === topic.id).length, topic.id).toBeGreaterThanOrEqual(10);
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
