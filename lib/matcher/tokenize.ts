/**
 * Tokenizer shared by the matcher, cue detection and card ranking.
 *
 * A token is a run of Unicode letters and digits (so word boundaries work for
 * any script), or a single CJK character (CJK text has no spaces, so names like
 * 深度求索 match without word boundaries). Soft hyphens and zero-width
 * characters inside a word are ignored; token offsets always point into the
 * original text.
 */

export type Joiner = 'space' | 'hyphen' | 'dot' | 'none' | 'other';

export interface Token {
  /** Lowercased text with ignorable characters removed. */
  norm: string;
  /** The token's text as written, minus ignorable characters (for case-sensitive terms). */
  raw: string;
  start: number;
  end: number;
  /** What separates this token from the previous one. */
  joiner: Joiner;
  cjk: boolean;
}

const WORD = /[\p{L}\p{N}\p{M}]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** Soft hyphen, zero-width space/joiners, word joiner, BOM: invisible inside words. */
const IGNORABLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/;
const HYPHENS = new Set(['-', '\u2010', '\u2011']);
const APOSTROPHES = new Set(["'", '\u2019', '\u2018', '\u02BC']);

export function isCjk(ch: string): boolean {
  return CJK.test(ch);
}

/**
 * Splits text into tokens. Possessive endings (`'s`, `’s`, a trailing `s'`)
 * are dropped so "DeepSeek's" yields the token "deepseek".
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  let gap = '';
  while (i < n) {
    const ch = text[i]!;
    const code = text.codePointAt(i)!;
    const char = String.fromCodePoint(code);
    const width = char.length;
    if (CJK.test(char)) {
      tokens.push({ norm: char, raw: char, start: i, end: i + width, joiner: joinerOf(gap, true), cjk: true });
      gap = '';
      i += width;
      continue;
    }
    if (WORD.test(char)) {
      const start = i;
      let raw = '';
      let end = i;
      while (i < n) {
        const c = String.fromCodePoint(text.codePointAt(i)!);
        if (WORD.test(c) && !CJK.test(c)) {
          raw += c;
          i += c.length;
          end = i;
        } else if (IGNORABLE.test(c) && i + 1 < n && WORD.test(String.fromCodePoint(text.codePointAt(i + 1)!))) {
          i += c.length;
        } else break;
      }
      tokens.push({ norm: raw.toLowerCase(), raw, start, end, joiner: joinerOf(gap, false), cjk: false });
      gap = '';
      // Possessive: 's or ’s right after the word, not followed by another letter.
      if (APOSTROPHES.has(text[i] ?? '') && (text[i + 1] === 's' || text[i + 1] === 'S') && !WORD.test(text[i + 2] ?? ' ')) {
        i += 2;
        gap = '\u0000'; // what follows is not joined to this word
      }
      continue;
    }
    gap += ch;
    i += 1;
  }
  return tokens;
}

function joinerOf(gap: string, cjk: boolean): Joiner {
  if (gap === '') return cjk ? 'none' : 'none';
  if (gap.includes('\u0000')) return 'other';
  if (/^[\s\u00A0\u202F]+$/.test(gap)) return 'space';
  if (gap.length === 1 && HYPHENS.has(gap)) return 'hyphen';
  if (gap === '.') return 'dot';
  if (/^[\s\u00A0\u202F]*[-\u2010\u2011][\s\u00A0\u202F]*$/.test(gap) && gap.length <= 3) return 'hyphen';
  if (IGNORABLE.test(gap) && gap.replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, '') === '') return 'none';
  return 'other';
}
