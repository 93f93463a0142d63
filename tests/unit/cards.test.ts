import { describe, expect, it } from 'vitest';
import { cardScore, rankCards, sentenceAround } from '../../lib/cards';

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

  it('matches whole words only and weighs longer phrases more', () => {
    expect(cardScore(cards[1]!, 'OpenAIs evidenced', '')).toBe(0);
    expect(cardScore(cards[1]!, 'against its terms of service', '')).toBe(9);
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
