import { describe, expect, it } from 'vitest';
import { BATCH_SEPARATOR, compileMatcher, compileSteps, resolveBlock, scanBlock, type MatcherSpec } from '../../lib/matcher';
import { inflections } from '../../lib/matcher/inflect';
import { classify, isWordChar, tokenize } from '../../lib/matcher/tokenize';
import dataset from '../../lib/dataset/dataset.json';
import type { Dataset } from '../../lib/dataset/schema';

const data = dataset as Dataset;
const spec: MatcherSpec = { topics: data.topics, cues: data.cues };
const m = compileMatcher(spec);

/** Accepted mentions in one block of text, as [topic, matched text]. */
function find(text: string, pageCues: string[] = [], matcher = m): [string, string][] {
  const scan = scanBlock(matcher, text);
  return resolveBlock(scan, new Set([...pageCues, ...scan.cues])).map((c) => [c.topicId, text.slice(c.start, c.end)]);
}
const texts = (text: string, topic?: string) =>
  find(text)
    .filter(([t]) => !topic || t === topic)
    .map(([, s]) => s);

describe('compileSteps', () => {
  it('builds the same matcher as compileMatcher, pausing along the way so a page never waits for all of it at once', () => {
    const steps = compileSteps(spec);
    let pauses = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses++;
    const phrases = data.topics.reduce((n, t) => n + t.terms.length, 0) + Object.values(data.cues).reduce((n, c) => n + c.phrases.length, 0);
    expect(pauses).toBeGreaterThan(phrases / 64);
    const stepped = step.value;
    expect(stepped.termCount).toBe(m.termCount);
    expect([...stepped.aboutNames].sort()).toEqual([...m.aboutNames].sort());
    const text =
      'DeepSeek said its R1 model, trained on Nvidia H800 chips before the export controls tightened, was not distilled from OpenAI outputs. The Commerce Department and BIS declined to comment.';
    expect(scanBlock(stepped, text)).toEqual(scanBlock(m, text));
    expect(find(text, [], stepped)).toEqual(find(text));
    expect(find(text).length).toBeGreaterThan(2);
  });
});

describe('tokenize', () => {
  it('splits on non-letters and keeps offsets into the original', () => {
    const tokens = tokenize('Deep\u00ADSeek’s R1-Zero, 深度求索');
    expect(tokens.map((t) => t.norm)).toEqual(['deepseek', 'r1', 'zero', '深', '度', '求', '索']);
    expect(tokens[0]).toMatchObject({ start: 0, end: 9 });
    expect(tokens[2]!.joiner).toBe('hyphen');
  });
});

describe('matching terms', () => {
  it('is case-insensitive by default', () => {
    expect(texts('deepseek and DEEPSEEK and DeepSeek', 'deepseek')).toEqual(['deepseek', 'DEEPSEEK', 'DeepSeek']);
  });

  it('matches possessives, straight and curly', () => {
    expect(texts("DeepSeek's model and DeepSeek’s app", 'deepseek')).toEqual(['DeepSeek', 'DeepSeek']);
  });

  it('treats hyphens and spaces alike, longest match first', () => {
    expect(texts('DeepSeek-R1 and DeepSeek R1 and DeepSeek\u2011R1', 'deepseek')).toEqual(['DeepSeek-R1', 'DeepSeek R1', 'DeepSeek\u2011R1']);
  });

  it('handles NBSP, soft hyphens and zero-width characters', () => {
    expect(texts('DeepSeek\u00A0R1', 'deepseek')).toEqual(['DeepSeek\u00A0R1']);
    expect(texts('Deep\u00ADSeek launched', 'deepseek')).toEqual(['Deep\u00ADSeek']);
    expect(texts('Deep\u200BSeek launched', 'deepseek')).toEqual(['Deep\u200BSeek']);
  });

  it('respects word boundaries, also in non-ASCII text', () => {
    expect(texts('DeepSeekers and undistilled and DeepSeekův model')).toEqual([]);
    expect(texts('Google DeepMind, DeepL and Deep Search are not it; deep seek the truth; deep-seek it')).toEqual([]);
  });

  it('matches CJK names without word boundaries', () => {
    expect(texts('中国深度求索公司发布新模型', 'deepseek')).toEqual(['深度求索']);
  });

  it('applies inflections only where the dataset asks', () => {
    expect(inflections('distill')).toEqual(expect.arrayContaining(['distill', 'distills', 'distilled', 'distilling']));
    expect(inflections('control')).toEqual(expect.arrayContaining(['controls', 'controlled']));
    expect(inflections('restriction')).toContain('restrictions');
    const local = compileMatcher({ topics: [{ id: 't', terms: [{ text: 'chip curb', inflect: true }, { text: 'model' }] }], cues: {} });
    expect(find('chip curbs and chip-curbing; models and model', [], local).map(([, s]) => s)).toEqual(['chip curbs', 'chip-curbing', 'model']);
  });

  it('requires a dot where the term has one', () => {
    const local = compileMatcher({ topics: [{ id: 't', terms: [{ text: 'V3.2' }] }], cues: {} });
    expect(find('V3.2 and V3 2 and V3-2', [], local).map(([, s]) => s)).toEqual(['V3.2']);
  });

  it('compares case-sensitive terms exactly', () => {
    const local = compileMatcher({ topics: [{ id: 't', terms: [{ text: 'BIS', caseSensitive: true }] }], cues: {} });
    expect(find('BIS rules; bis repetita', [], local).map(([, s]) => s)).toEqual(['BIS']);
  });

  it('spans inline text joined into one block', () => {
    // The content script concatenates inline nodes: "export " + "controls" + " on chips".
    expect(texts('US export controls on Nvidia chips', 'export-controls')).toEqual(['export controls']);
    expect(texts('new export-control rules for GPUs', 'export-controls')).toEqual(['export-control']);
  });
});

describe('context rules', () => {
  it('reads "Deep Seek", as some outlets spell the lab, only capitalised and beside AI', () => {
    expect(texts("Deep Seek's new AI model rattled investors on Monday.", 'deepseek')).toEqual(['Deep Seek']);
    expect(texts('Chinese AI startup Deep Seek released an open-source chatbot.', 'deepseek')).toEqual(['Deep Seek']);
    expect(texts('I want to deep seek the meaning of life, she said, about the AI debate.', 'deepseek')).toEqual([]);
    expect(texts('“Deep Seek”, the closing track on the band’s 1998 album, is a slow instrumental.', 'deepseek')).toEqual([]);
    expect(texts('Deep Seek Diving offers open-water courses in the Red Sea.', 'deepseek')).toEqual([]);
  });

  it('counts "R1" only near DeepSeek', () => {
    expect(texts('The R1 model came out in January.', 'deepseek')).toEqual([]);
    expect(texts('DeepSeek released R1 in January.', 'deepseek')).toEqual(['DeepSeek', 'R1']);
  });

  it('keeps AI distillation and drops whisky, oil, water, perfume and chemistry', () => {
    expect(texts('OpenAI said DeepSeek may have used distillation of its models.', 'distillation')).toEqual(['distillation']);
    expect(texts('A small student model is distilled from a larger teacher model.', 'distillation')).toEqual(['distilled']);
    for (const text of [
      'The whisky distillation runs twice in copper stills at the distillery.',
      'Crude oil distillation at the refinery separates petroleum fractions.',
      'Steam distillation of essential oils from lavender.',
      'Our water distiller removes minerals by distillation.',
      'In chemistry class we did fractional distillation by boiling point.',
      'She distilled the report into three points for the board.',
    ]) {
      expect(texts(text, 'distillation'), text).toEqual([]);
    }
  });

  it('keeps AI-chip export controls and drops arms and unrelated exports', () => {
    expect(texts('Export controls on Nvidia chips to China tightened.', 'export-controls')).toContain('Export controls');
    expect(texts('ITAR export controls on fighter jets and munitions.', 'export-controls')).toEqual([]);
    expect(texts('Click export to PDF to save the file.', 'export-controls')).toEqual([]);
  });

  /** Each text with what the export-controls topic should find in it. */
  const controls = (cases: [string, string[]][]) => {
    for (const [text, expected] of cases) expect(texts(text, 'export-controls'), text).toEqual(expected);
  };

  it('knows the controls by their other names: export rules, laws and licences', () => {
    controls([
      ['US export rules bar Nvidia from selling its most advanced chips to Chinese customers.', ['export rules']],
      ['Four people were charged with shipping AI chips to China in violation of US export law.', ['export law']],
      ['Nvidia said it had received export licences to resume sales to China.', ['export licences']],
      // A licence is the controls' only when the text is about China (or DeepSeek): a GPU vendor's own
      // licensing pages talk of chips and of exporting a licence file.
      ['Click Export License to download a copy of your GPU software entitlement.', []],
      ['Lockheed needs an export license from the State Department for the F-35 components.', []],
      ['China now requires export licences for gallium and germanium shipments.', []],
      ['The firewall lets you export rules to a CSV file for auditing.', []],
    ]);
  });

  it('knows the Entity List by the names news gives it, and not inside China’s Unreliable Entity List', () => {
    controls([
      ['The US added dozens of Chinese firms to its trade blacklist over AI chips.', ['trade blacklist']],
      ['Washington adds 80 companies to export blacklist, including Chinese AI chip firms.', ['export blacklist']],
      ['The Commerce Department put the Chinese chip designer on its entity list.', ['entity list']],
      ['The Treasury put the oil tanker operators on its trade blacklist.', []],
      ['Add the customer to the entity list in the CRM before invoicing.', []],
      ['China put the drone maker Skydio on its Unreliable Entity List over sales to Taiwan.', []],
      ['Beijing added two US chip equipment firms to its unreliable entity list in retaliation.', []],
      ['中國商務部把美國企業列入不可靠實體清單。', []],
      ['中国は米防衛企業を「信頼できないエンティティー・リスト」に加えた。', []],
      // The US list beside China's answer to it, in one paragraph, is still the US list.
      ['After the US put Chinese chip firms on the Entity List, China answered with its Unreliable Entity List.', ['Entity List']],
    ]);
  });

  it("takes the rules' own words for the chips they cover as a sign of chips", () => {
    controls([
      ['BIS officials said the new rule targets advanced computing items destined for China.', ['BIS']],
      ['BIS added the supercomputer makers to its list.', ['BIS']],
      ['BIS warned central banks about stablecoin risks.', []],
    ]);
  });

  it('does not let a candidate count as its own cue', () => {
    const local = compileMatcher({
      topics: [{ id: 't', terms: [{ text: 'H20', caseSensitive: true, requires: ['chips'] }] }],
      cues: { chips: { phrases: ['H20', 'GPU'] } },
    });
    expect(find('The H20 is here.', [], local)).toEqual([]);
    expect(find('The H20 GPU is here.', [], local).map(([, s]) => s)).toEqual(['H20']);
  });

  it('applies page scope with the page cues', () => {
    const local = compileMatcher({
      topics: [{ id: 't', terms: [{ text: 'export controls', requires: ['chips'], scope: 'page' }] }],
      cues: { chips: { phrases: ['semiconductor'] } },
    });
    const scan = scanBlock(local, 'New export controls were announced.');
    expect(resolveBlock(scan, new Set())).toEqual([]);
    expect(resolveBlock(scan, new Set(['chips']))).toHaveLength(1);
  });

  it('counts vetoes in the paragraph only, and lets a required cue there outweigh them', () => {
    const local = compileMatcher({
      topics: [{ id: 't', terms: [{ text: 'export controls', requires: ['chips'], vetoes: ['arms'], scope: 'page' }] }],
      cues: { chips: { phrases: ['semiconductor'] }, arms: { phrases: ['missiles'] } },
    });
    const run = (text: string, page: string[]) => resolveBlock(scanBlock(local, text), new Set(page)).length;
    // The page mentions arms elsewhere: a plain paragraph still counts on the page's chip cue.
    expect(run('New export controls were announced.', ['chips', 'arms'])).toBe(1);
    // Arms in the same paragraph veto it...
    expect(run('New export controls on missiles were announced.', ['chips', 'arms'])).toBe(0);
    // ...unless chips are in that paragraph too.
    expect(run('Export controls cover missiles and semiconductor tools alike.', [])).toBe(1);
  });

  it('turns a disabled topic off but keeps it as a cue for others', () => {
    const enabled = new Set(data.topics.map((t) => t.id).filter((id) => id !== 'deepseek'));
    const local = compileMatcher(spec, enabled);
    const scan = scanBlock(local, 'DeepSeek and R1 under export controls on chips');
    expect(scan.candidates.some((c) => c.topicId === 'deepseek')).toBe(false);
    expect(scan.cues.has('@deepseek')).toBe(true);
  });
});

describe('boundaries next to digits', () => {
  it('splits a footnote number or a glued version off a name, but keeps short model names whole', () => {
    expect(tokenize('DeepSeek1 Qwen2 R1 H800 GPT4 MI308').map((t) => t.norm)).toEqual(['deepseek', '1', 'qwen', '2', 'r1', 'h800', 'gpt4', 'mi308']);
    expect(texts('DeepSeek1 released a model.', 'deepseek')).toEqual(['DeepSeek']);
    expect(tokenize('09:02DeepSeek 4o 7B 800GB 1080p').map((t) => t.norm)).toEqual(['09', '02', 'deepseek', '4o', '7b', '800gb', '1080p']);
  });

  it('reads a model’s name in the plural, as news counts chips, by the name’s own rules', () => {
    expect(texts('DeepSeek trained V3 on 2,048 H800s.', 'export-controls')).toEqual(['H800s']);
    expect(texts('Nvidia sold A800s to Chinese cloud firms.', 'export-controls')).toEqual(['A800s']);
    // H20 needs a sign of chips in its paragraph, and a cue's plural is one.
    expect(texts('Chinese firms ordered $16bn of H20s after the launch.', 'export-controls')).toEqual([]);
    expect(texts('Chinese firms ordered $16bn of H20s and H100s after the launch.', 'export-controls')).toEqual(['H20s']);
    // A name compared as written (H20) is compared so in the plural too.
    expect(texts('Shipments of H20S and AI chips resumed.', 'export-controls')).toEqual([]);
    expect(texts('Shipments of H20s and AI chips resumed.', 'export-controls')).toEqual(['H20s']);
  });

  it('treats superscript digits as footnote marks, not letters', () => {
    expect(texts('DeepSeek¹ and DeepSeek²³ were cited.', 'deepseek')).toEqual(['DeepSeek', 'DeepSeek']);
  });
});

describe('what the page is about', () => {
  /** Mentions in a block, given the page's cues and what it is about. */
  const inPage = (text: string, about: string[], cues: string[] = about) => {
    const scan = scanBlock(m, text);
    return resolveBlock(scan, { cues: new Set([...cues, ...scan.cues]), about: new Set(about) }).map((c) => `${c.topicId}:${text.slice(c.start, c.end)}`);
  };

  it('marks a bare model name on a page about DeepSeek, and not elsewhere', () => {
    expect(inPage('The cost to train V3 was the headline.', ['@deepseek'])).toEqual(['deepseek:V3']);
    expect(inPage('The cost to train V3 was the headline.', [], ['@deepseek'])).toEqual([]);
    expect(inPage('「R1」の衝撃', ['@deepseek'])).toEqual(['deepseek:R1']);
  });

  it('leaves a reader’s whisky in the comments of a page about DeepSeek', () => {
    expect(inPage('Off topic, but the only thing I want distilled this weekend is a nice Speyside single malt.', ['@deepseek', '@distillation'])).toEqual([]);
    expect(inPage('The smaller models were distilled from V4 itself.', ['@deepseek', '@distillation'])).toEqual(['distillation:distilled', 'deepseek:V4']);
  });

  it('still vetoes a bare name used for something else, even on a page about DeepSeek', () => {
    expect(inPage('The Yamaha R1 is a superbike.', ['@deepseek'])).toEqual([]);
    expect(inPage('R2-D2 appears in Star Wars.', ['@deepseek'])).toEqual([]);
  });

  it('takes "distillation" in a heading with no cue of its own on a page about DeepSeek', () => {
    expect(inPage('Distillation process overview', ['@deepseek'])).toEqual(['distillation:Distillation']);
    expect(inPage('Distillation process overview', [])).toEqual([]);
  });

  it('lets a page about arms veto "export controls" that only a sidebar ties to chips', () => {
    expect(inPage('Our export controls programme covers every shipment.', ['arms'], ['arms', 'chips'])).toEqual([]);
    expect(inPage('Our export controls programme covers every shipment.', ['arms', 'chips'])).toEqual(['export-controls:export controls']);
    expect(inPage('Export controls on Nvidia chips tightened again.', ['arms'])).toEqual(['export-controls:Export controls']);
  });
});

describe('names and their neighbours', () => {
  it('reads a model name to its end over its parts and version numbers', () => {
    expect(texts('DeepSeek-V3-Base, DeepSeek-V3-0324, DeepSeek-V3.2-Exp and DeepSeekMoE', 'deepseek')).toEqual([
      'DeepSeek-V3-Base',
      'DeepSeek-V3-0324',
      'DeepSeek-V3.2-Exp',
      'DeepSeekMoE',
    ]);
    // Not over ordinary words, and a term as written beats a name grown to the same length.
    expect(find('DeepSeek-style pricing; the R1-Distill models')).toEqual([
      ['deepseek', 'DeepSeek'],
      ['distillation', 'R1-Distill'],
    ]);
  });

  it('leaves a bare model name that belongs to another brand’s product', () => {
    const onDeepSeekPage = (text: string) => {
      const scan = scanBlock(m, text);
      return resolveBlock(scan, { cues: new Set(scan.cues), about: new Set(['@deepseek']) }).map((c) => text.slice(c.start, c.end));
    };
    expect(onDeepSeekPage('Benchmarks: MobileNet V3-Large and the YZF-R1 are not models of ours.')).toEqual([]);
    // A capitalised ordinary word in a title-case headline is no brand.
    expect(onDeepSeekPage('How The Lab Trained V3 On A Budget')).toEqual(['V3']);
  });

  it('tells figurative "distilled" by what follows it, not by what comes before', () => {
    expect(texts('In a memo, the lab said rivals distill GPT-4 outputs into small models.', 'distillation')).toEqual(['distill']);
    expect(texts('The AI debate, distilled to one sentence: who owns an answer?', 'distillation')).toEqual([]);
  });

  it('does not take a required cue from inside a look-alike phrase', () => {
    expect(texts('Not that chip ban: the school removed potato chips from its vending machines.', 'export-controls')).toEqual([]);
    expect(texts('The chip ban cut Nvidia’s sales of AI chips to China.', 'export-controls')).toEqual(['chip ban']);
  });

  it('knows the other BIS and the other export controls', () => {
    expect(texts('The BIS Quarterly Review flags strains in dollar funding for chip firms.', 'export-controls')).toEqual([]);
    expect(texts('China’s export controls on gallium, used in chipmaking, took effect.', 'export-controls')).toEqual([]);
    expect(texts('Japan’s 2019 export restrictions on three chipmaking chemicals hit South Korea.', 'export-controls')).toEqual([]);
  });
});

describe('look-alike phrases that contain the term', () => {
  it('veto it', () => {
    expect(texts('The AI founders toasted with something double-distilled.', 'distillation')).toEqual([]);
    expect(texts('大模型时代也要喝蒸馏水。', 'distillation')).toEqual([]);
  });

  it('do not stop the same term elsewhere in the block', () => {
    expect(texts('The AI lab used distillation to train its student model.', 'distillation')).toEqual(['distillation']);
  });
});

describe('batches joined by BATCH_SEPARATOR', () => {
  it('give each text what it would get alone, and no term spans two texts', () => {
    const texts = ['DeepSeek trained R1 on H800 chips.', 'new export', 'controls on chips', '深度', '求索', 'Whisky distillation in a distillery.'];
    const joined = scanBlock(m, texts.join(BATCH_SEPARATOR));
    let at = 0;
    for (const text of texts) {
      const alone = scanBlock(m, text);
      const inBatch = joined.candidates.filter((c) => c.start >= at && c.end <= at + text.length).map((c) => ({ ...c, start: c.start - at, end: c.end - at }));
      expect(inBatch, text).toEqual(alone.candidates);
      at += text.length + BATCH_SEPARATOR.length;
    }
    expect(joined.candidates.map((c) => c.term)).not.toContain('export control');
  });
});

describe('scale', () => {
  it('finds the right terms among 5,000', () => {
    const terms = Array.from({ length: 5000 }, (_, i) => ({ text: `term${i} alpha` }));
    terms.push({ text: 'DeepSeek' });
    const local = compileMatcher({ topics: [{ id: 't', terms }], cues: {} });
    expect(local.termCount).toBe(5001);
    expect(find('term4999 alpha and term17 alpha and term17 beta and DeepSeek', [], local).map(([, s]) => s)).toEqual([
      'term4999 alpha',
      'term17 alpha',
      'DeepSeek',
    ]);
  });
});

describe('character classes', () => {
  // The classification written with Unicode property patterns alone, as it was
  // before ASCII and whole CJK blocks were answered first; the numbers are
  // tokenize.ts's class codes (1 other, 2 word, 3 CJK, 4 ignorable, 5 space,
  // 6 hyphen, 7 dot, 8 apostrophe).
  const WORD_RE = /^[\p{L}\p{N}\p{M}]$/u;
  const CJK_RE = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$/u;
  function byPatterns(code: number): number {
    const ch = String.fromCharCode(code);
    if (code === 0xb2 || code === 0xb3 || code === 0xb9 || (code >= 0x2070 && code <= 0x2079)) return 1;
    if (code === 0x2d || code === 0x2010 || code === 0x2011) return 6;
    if (code === 0x2e) return 7;
    if (code === 0x27 || code === 0x2019 || code === 0x2018 || code === 0x2bc) return 8;
    if (code === 0xad || (code >= 0x200b && code <= 0x200d) || code === 0x2060 || code === 0xfeff) return 4;
    // The katakana middle dot: a space between the words of a compound (エンティティー・リスト).
    if (/^\s$/u.test(ch) || code === 0xa0 || code === 0x202f || code === 0x30fb) return 5;
    if (code >= 0xd800 && code <= 0xdfff) return 2;
    if (CJK_RE.test(ch)) return 3;
    if (WORD_RE.test(ch)) return 2;
    return 1;
  }

  it('answers every UTF-16 code unit as the Unicode property patterns do', () => {
    const wrong: string[] = [];
    const seen = new Set<number>();
    for (let code = 0; code < 0x10000; code++) {
      const c = classify(code);
      seen.add(c);
      if (c !== byPatterns(code)) wrong.push(`U+${code.toString(16).padStart(4, '0')}: ${c} not ${byPatterns(code)}`);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('counts as part of a word what the tokenizer puts in one (a letter, digit or mark, a CJK character), but no surrogate half', () => {
    const wrong: string[] = [];
    for (let code = 0; code < 0x10000; code++) {
      const c = byPatterns(code);
      const expected = c === 3 || (c === 2 && (code < 0xd800 || code > 0xdfff));
      if (isWordChar(code) !== expected) wrong.push(`U+${code.toString(16).padStart(4, '0')}`);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(isWordChar(NaN)).toBe(false);
  });
});

describe('full-width letters and digits', () => {
  it('reads ＤｅｅｐＳｅｅｋ and Ｈ８００ as DeepSeek and H800, at their own offsets', () => {
    const text = 'ＤｅｅｐＳｅｅｋは、米エヌビディアの「Ｈ８００」で学習した。';
    expect(find(text)).toEqual([
      ['deepseek', 'ＤｅｅｐＳｅｅｋ'],
      ['export-controls', 'Ｈ８００'],
    ]);
    // A case-sensitive short name too: Ｒ１ beside DeepSeek.
    expect(texts('ＤｅｅｐＳｅｅｋのＲ１は推論モデルだ。', 'deepseek')).toEqual(['ＤｅｅｐＳｅｅｋ', 'Ｒ１']);
  });

  it('lets the gate say "maybe" to them', async () => {
    const { compileGate, mayMatch } = await import('../../lib/matcher');
    const gate = compileGate(spec);
    expect(mayMatch(gate, '米国の対中規制とＤｅｅｐＳｅｅｋ')).toBe(true);
    expect(mayMatch(gate, '米国の対中規制と半導体')).toBe(false);
  });
});
