/**
 * The matcher alone: time to scan 1 MB of text with 10 terms and with 5,000
 * terms. Called by `npm run bench`; never asserted on in tests (timing flakes).
 */
import { compileMatcher, scanBlock, type MatcherSpec } from './index';

const WORDS =
  'the model was trained on chips that the lab bought before new rules on exports took effect and analysts say costs were higher than reported while rivals raised spending'.split(
    ' ',
  );

function text(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const w = i % 97 === 0 ? 'DeepSeek' : i % 89 === 0 ? 'export controls' : WORDS[(i * 7) % WORDS.length]!;
    parts.push(w);
    size += w.length + 1;
  }
  return parts.join(' ');
}

function spec(count: number): MatcherSpec {
  const terms = [{ text: 'DeepSeek' }, { text: 'export control', inflect: true }];
  for (let i = terms.length; i < count; i++) terms.push({ text: `term${i} alpha${i % 50}` });
  return { topics: [{ id: 'synthetic', terms }], cues: { ai: { phrases: ['model', 'chips'] } } };
}

function time(count: number, input: string): { ms: number; found: number } {
  const m = compileMatcher(spec(count));
  let found = 0;
  const t0 = performance.now();
  for (let i = 0; i < input.length; i += 32_768) found += scanBlock(m, input.slice(i, i + 32_768)).candidates.length;
  return { ms: performance.now() - t0, found };
}

export function benchmarkMatcher(): { textBytes: number; tenTermsMs: number; fiveThousandTermsMs: number; ratio: number; found: number } {
  const input = text(1_000_000);
  time(10, input); // warm-up
  const runs = (count: number) => [0, 1, 2].map(() => time(count, input)).sort((a, b) => a.ms - b.ms)[1]!;
  const ten = runs(10);
  const many = runs(5000);
  return { textBytes: input.length, tenTermsMs: ten.ms, fiveThousandTermsMs: many.ms, ratio: many.ms / ten.ms, found: ten.found };
}
