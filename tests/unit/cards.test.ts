import { describe, expect, it } from 'vitest';
import { cardScore, nearestDebates, rankCards, sentenceAround } from '../../lib/cards';

const cards = [
  { id: 'general', topicId: 'd', cues: ['what is distillation', 'teacher', 'student'] },
  { id: 'allegation', topicId: 'd', cues: ['OpenAI', 'terms of service', 'evidence'] },
  { id: 'legal', topicId: 'd', cues: ['lawsuit', 'copyright', 'terms of service'] },
];

describe('rankCards', () => {
  it('prefers cues in the sentence over cues in the paragraph', () => {
    const ranked = rankCards(cards, 'OpenAI says it has evidence of distillation.', 'A lawsuit over copyright is unlikely.');
    expect(ranked.map((c) => c.id)).toEqual(['allegation', 'legal', 'general']);
  });

  it('keeps dataset order on ties, so the general card wins when nothing matches', () => {
    expect(rankCards(cards, 'Nothing specific here.', '').map((c) => c.id)).toEqual(['general', 'allegation', 'legal']);
  });

  it('matches whole words, with plural and -ed/-ing forms, and weighs longer phrases more', () => {
    expect(cardScore(cards[1]!, 'OpenAIx evidential', '')).toBe(0);
    expect(cardScore(cards[1]!, 'against its terms of service', '')).toBe(9);
    expect(cardScore({ id: 's', topicId: 'e', cues: ['smuggling', 'GPU'] }, 'They smuggled GPUs.', '')).toBe(6);
  });

  it('favours a contested card (the debate) over a definition that fits as well', () => {
    const defs = [
      { id: 'what', topicId: 'e', cues: ['rules', 'Commerce'] },
      { id: 'worked', topicId: 'e', cues: ['rules', 'failure'], contested: true },
    ];
    expect(rankCards(defs, 'The Commerce rules are here.', '').map((c) => c.id)).toEqual(['what', 'worked']);
    expect(rankCards(defs, 'Are the rules here?', '').map((c) => c.id)).toEqual(['worked', 'what']);
  });

  it('of two names in one sentence, opens the card of the one the reader is on', () => {
    const chips = [
      { id: 'h20', topicId: 'e', cues: ['H20'] },
      { id: 'h200', topicId: 'e', cues: ['H200'] },
    ];
    const sentence = 'After the H20 was blocked, Nvidia pitched the H200 as the part China could have.';
    expect(rankCards(chips, sentence, sentence, 'H20')[0]!.id).toBe('h20');
    expect(rankCards(chips, sentence, sentence, 'H200')[0]!.id).toBe('h200');
    // Written in the plural, the name is still the card's.
    expect(rankCards(chips, 'Nobody models H20s now; the H200 is the question.', '', 'H20s')[0]!.id).toBe('h20');
    // Without the mention, dataset order breaks the tie.
    expect(rankCards([...chips].reverse(), sentence, sentence)[0]!.id).toBe('h200');
  });

  it('counts the words of a card’s question, less when many questions share them', () => {
    const qs = [
      { id: 'what', topicId: 'd', cues: [], question: 'What is distillation?' },
      { id: 'legal', topicId: 'd', cues: [], question: 'Is it illegal to train a model on a competitor’s outputs?' },
      { id: 'stop', topicId: 'd', cues: [], question: 'Can labs stop rivals from distilling their models?' },
    ];
    expect(rankCards(qs, 'Distilling a rival’s outputs may be illegal.', '')[0]!.id).toBe('legal');
    expect(rankCards(qs, 'Nothing to see.', '')[0]!.id).toBe('what');
  });
});

describe('nearestDebates', () => {
  const topic = [
    { id: 'what', topicId: 'e', cues: ['rules'], related: ['smuggling', 'worked'] },
    { id: 'worked', topicId: 'e', cues: ['failure'], contested: true },
    { id: 'h200', topicId: 'e', cues: ['H200'], contested: true },
    { id: 'smuggling', topicId: 'e', cues: ['smuggled'], contested: true },
    { id: 'rule-2022', topicId: 'e', cues: ['2022'] },
  ];
  const what = topic[0]!;

  it('puts the debates the sentence points to first, then the definition’s own related list', () => {
    expect(nearestDebates(topic, what, 'The H200 rules.', '').map((c) => c.id)).toEqual(['h200', 'smuggling', 'worked']);
  });

  it('falls back to the related list, then the topic’s other debates, and never lists a definition', () => {
    expect(nearestDebates(topic, what, 'Nothing here.', '', 2).map((c) => c.id)).toEqual(['smuggling', 'worked']);
    expect(nearestDebates(topic, topic[4]!, 'Nothing here.', '').map((c) => c.id)).toEqual(['worked', 'h200', 'smuggling']);
  });
});

describe('sentenceAround', () => {
  const text = 'Nvidia fell 17%. The U.S. Navy banned DeepSeek on Jan. 24 over security concerns. Claude 3.5 Sonnet led on two tests! Next.';

  it('returns the sentence around the mention', () => {
    const i = text.indexOf('DeepSeek');
    expect(sentenceAround(text, i, i + 8)).toBe('The U.S. Navy banned DeepSeek on Jan. 24 over security concerns.');
  });

  it('does not split on decimals', () => {
    const i = text.indexOf('Sonnet');
    expect(sentenceAround(text, i, i + 6)).toBe('Claude 3.5 Sonnet led on two tests!');
  });

  it('handles CJK full stops and the start and end of text', () => {
    const cjk = '深度求索发布模型。市场震动。';
    expect(sentenceAround(cjk, 0, 4)).toBe('深度求索发布模型。');
    expect(sentenceAround('DeepSeek', 0, 8)).toBe('DeepSeek');
  });
});
