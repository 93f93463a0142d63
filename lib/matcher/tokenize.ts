/**
 * Tokenizer shared by the matcher, cue detection and card ranking.
 *
 * A token is a run of Unicode letters, marks and digits (so word boundaries
 * work in any script), or a single CJK character (CJK text has no spaces, so
 * names like 深度求索 match without word boundaries). Soft hyphens and
 * zero-width characters inside a word are ignored. Offsets always point into
 * the original text.
 *
 * This is the innermost loop of page scanning, so it works on char codes with
 * a lazily filled class table instead of running a regex per character, and
 * writes tokens into typed arrays; `tokenize()` turns them into objects for
 * callers that want them.
 */

export type Joiner = 'space' | 'hyphen' | 'dot' | 'none' | 'other';

export interface Token {
  /** Lowercased text with ignorable characters removed. */
  norm: string;
  /** The token as written, minus ignorable characters (for case-sensitive terms). */
  raw: string;
  start: number;
  end: number;
  /** What separates this token from the previous one. */
  joiner: Joiner;
}

// Character classes.
const UNKNOWN = 0;
const OTHER = 1;
const WORD = 2;
const CJK = 3;
const IGNORABLE = 4;
const SPACE = 5;
const HYPHEN = 6;
const DOT = 7;
const APOSTROPHE = 8;

const table = new Uint8Array(65536);
const WORD_RE = /^[\p{L}\p{N}\p{M}]$/u;
const CJK_RE = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$/u;
const SPACE_RE = /^\s$/u;

/** Superscript digits: footnote markers ("DeepSeek¹"), never part of a word. */
function isSuperscriptDigit(code: number): boolean {
  return code === 0xb2 || code === 0xb3 || code === 0xb9 || (code >= 0x2070 && code <= 0x2079);
}

/**
 * The class of one UTF-16 code unit. The Unicode property patterns answer
 * for most of the range, but each is compiled the first time it runs, a
 * cost every page would pay when this module loads (for the ASCII table)
 * and when the gate is built from the terms (mostly Han and Katakana). So
 * ASCII and the blocks whose every character is of one CJK script are
 * answered before them; a test checks every code unit against the patterns.
 */
export function classify(code: number): number {
  if (isSuperscriptDigit(code)) return OTHER;
  if (code === 0x2d || code === 0x2010 || code === 0x2011) return HYPHEN;
  if (code === 0x2e) return DOT;
  if (code === 0x27 || code === 0x2019 || code === 0x2018 || code === 0x2bc) return APOSTROPHE;
  if (code === 0xad || (code >= 0x200b && code <= 0x200d) || code === 0x2060 || code === 0xfeff) return IGNORABLE;
  if (code < 128) {
    if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return WORD;
    return code === 0x20 || (code >= 0x09 && code <= 0x0d) ? SPACE : OTHER;
  }
  // CJK Unified Ideographs (Han), Hiragana and Katakana letters, Hangul syllables.
  if ((code >= 0x4e00 && code <= 0x9ffc) || (code >= 0x3041 && code <= 0x3096) || (code >= 0x30a1 && code <= 0x30fa) || (code >= 0xac00 && code <= 0xd7a3)) {
    return CJK;
  }
  // Latin letters with accents (all of Latin-1's and both Latin Extended blocks but × and ÷),
  // Cyrillic, and the punctuation that news text is full of (curly quotes, dashes, and CJK
  // and full-width punctuation below): answered here, so most pages never compile
  // the property patterns below (a few milliseconds, cold, in every frame).
  if (code >= 0xc0 && code <= 0x24f) return code === 0xd7 || code === 0xf7 ? OTHER : WORD;
  if (code >= 0x400 && code <= 0x4ff) return code === 0x482 ? OTHER : WORD;
  if (code >= 0x2000 && code <= 0x206f) return code <= 0x200a || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f ? SPACE : OTHER;
  // Katakana's long-vowel mark (モデル, in the dataset's phrases) is a letter of the Common script; its
  // middle dot separates the words of a compound as a space does (エンティティー・リスト, "Entity
  // List"); CJK brackets and full stops, and the full-width punctuation around the digits, are neither.
  if (code === 0x30fc) return WORD;
  if (code === 0x30fb) return SPACE;
  if ((code > 0x3000 && code < 0x3020 && (code < 0x3005 || code > 0x3007)) || (code > 0xff00 && code < 0xff21 && (code < 0xff10 || code > 0xff19)))
    return OTHER;
  const ch = String.fromCharCode(code);
  if (SPACE_RE.test(ch) || code === 0xa0) return SPACE;
  if (code >= 0xd800 && code <= 0xdfff) return WORD; // surrogate halves: resolved per pair below
  if (CJK_RE.test(ch)) return CJK;
  if (WORD_RE.test(ch)) return WORD;
  return OTHER;
}

function cls(code: number): number {
  let c = table[code]!;
  if (c === UNKNOWN) {
    c = classify(code);
    table[code] = c;
  }
  return c;
}

const JOINERS: Joiner[] = ['none', 'space', 'hyphen', 'dot', 'other'];
export const J_NONE = 0;
export const J_SPACE = 1;
export const J_HYPHEN = 2;
export const J_DOT = 3;
export const J_OTHER = 4;

/** Tokens of one text, as parallel arrays (no per-token objects). */
export interface TokenArrays {
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  joiners: Uint8Array;
  /** 1 = CJK character, 2 = word with ignorable characters inside. */
  flags: Uint8Array;
}

let scratch: TokenArrays = alloc(1024);

function alloc(n: number): TokenArrays {
  return { count: 0, starts: new Int32Array(n), ends: new Int32Array(n), joiners: new Uint8Array(n), flags: new Uint8Array(n) };
}

function push(t: TokenArrays, start: number, end: number, joiner: number, flags: number): TokenArrays {
  if (t.count === t.starts.length) {
    const bigger = alloc(t.count * 2);
    bigger.starts.set(t.starts);
    bigger.ends.set(t.ends);
    bigger.joiners.set(t.joiners);
    bigger.flags.set(t.flags);
    bigger.count = t.count;
    t = bigger;
  }
  t.starts[t.count] = start;
  t.ends[t.count] = end;
  t.joiners[t.count] = joiner;
  t.flags[t.count] = flags;
  t.count++;
  return t;
}

/**
 * Splits text into tokens, written into a shared scratch buffer that the next
 * call reuses (callers consume it before tokenizing again). Possessive endings
 * (`'s`, `’s`) are dropped, so "DeepSeek's" yields "DeepSeek".
 */
export function tokenizeInto(text: string): TokenArrays {
  let t = scratch;
  t.count = 0;
  const n = text.length;
  // Gap state between tokens: how many chars, and which kinds.
  let gapLen = 0;
  let gapSpaces = 0;
  let gapHyphens = 0;
  let gapDot = false;
  let gapOther = false;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    const c = code < 128 ? ASCII[code]! : cls(code);
    if (c === WORD) {
      const start = i;
      let flags = 0;
      // A run of letters long enough to be a name, then digits: a footnote
      // number or a version glued on ("DeepSeek1", "Qwen2"). The digits are a
      // token of their own; short runs ("R1", "H800", "GPT4") stay whole.
      // The same the other way round: digits, then a name ("09:02DeepSeek",
      // where a time element ends right before the word).
      let letters = isAsciiLetter(code) ? 1 : 0;
      let digits = isAsciiDigit(code) ? 1 : 0;
      i++;
      while (i < n) {
        const k = text.charCodeAt(i);
        const kc = k < 128 ? ASCII[k]! : cls(k);
        if (kc === WORD) {
          if (letters > 0) {
            if (isAsciiLetter(k)) letters++;
            else if (isAsciiDigit(k) && letters >= 4 && letters === i - start) break;
            else letters = -1;
          } else if (digits > 0) {
            if (isAsciiDigit(k)) digits++;
            else if (isAsciiLetter(k) && digits === i - start && lettersFrom(text, i) >= 4) break;
            else digits = -1;
          }
          i++;
        } else if (kc === IGNORABLE && i + 1 < n && isWordCode(text.charCodeAt(i + 1))) {
          flags = 2;
          i++;
        } else break;
      }
      t = push(t, start, i, joinerOf(gapLen, gapSpaces, gapHyphens, gapDot, gapOther), flags);
      gapLen = gapSpaces = gapHyphens = 0;
      gapDot = gapOther = false;
      // Possessive: 's or ’s right after the word and not followed by a letter.
      if (i + 1 < n && cls(text.charCodeAt(i)) === APOSTROPHE) {
        const s = text.charCodeAt(i + 1);
        if ((s === 0x73 || s === 0x53) && (i + 2 >= n || !isWordCode(text.charCodeAt(i + 2)))) {
          i += 2;
          gapOther = true;
          gapLen = 2;
        }
      }
      continue;
    }
    if (c === CJK) {
      t = push(t, i, i + 1, joinerOf(gapLen, gapSpaces, gapHyphens, gapDot, gapOther), 1);
      gapLen = gapSpaces = gapHyphens = 0;
      gapDot = gapOther = false;
      i++;
      continue;
    }
    gapLen++;
    if (c === SPACE) gapSpaces++;
    else if (c === HYPHEN) gapHyphens++;
    else if (c === DOT) gapDot = true;
    else if (c !== IGNORABLE) gapOther = true;
    i++;
  }
  scratch = t;
  return t;
}

export function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** How many ASCII letters run from `i` (counting stops at 4, all the caller needs). */
function lettersFrom(text: string, i: number): number {
  let n = 0;
  while (n < 4 && i + n < text.length && isAsciiLetter(text.charCodeAt(i + n))) n++;
  return n;
}

export function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/**
 * Is this code unit part of a word: a letter, digit or mark, or a CJK
 * character? (Not a superscript digit, a footnote mark; not half of a
 * surrogate pair, which this table cannot judge.)
 */
export function isWordChar(code: number): boolean {
  const c = code < 128 ? ASCII[code] : cls(code);
  return c === CJK || (c === WORD && (code < 0xd800 || code > 0xdfff));
}

function isWordCode(code: number): boolean {
  return (code < 128 ? ASCII[code]! : cls(code)) === WORD;
}

function joinerOf(len: number, spaces: number, hyphens: number, dot: boolean, other: boolean): number {
  if (len === 0) return J_NONE;
  if (other) return J_OTHER;
  if (dot) return len === 1 ? J_DOT : J_OTHER;
  if (hyphens === 0) return spaces === len ? J_SPACE : J_NONE;
  return hyphens === 1 && len <= 3 ? J_HYPHEN : J_OTHER;
}

const ASCII = new Uint8Array(128).map((_, code) => {
  if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return WORD;
  return classify(code);
});

const FULL_WIDTH = /[\uff01-\uff5e]/;
const FULL_WIDTH_ALL = /[\uff01-\uff5e]/g;

/**
 * The text with full-width ASCII (ＤｅｅｐＳｅｅｋ, Ｈ２０, as Japanese and
 * Chinese print-style pages set Latin letters and digits) written as ASCII.
 * One code unit for one, so every offset into the result is an offset into
 * the text as written.
 */
export function foldWidth(text: string): string {
  return FULL_WIDTH.test(text) ? text.replace(FULL_WIDTH_ALL, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)) : text;
}

/** Characters dropped inside a word: soft hyphen, zero-width space and joiners, word joiner, BOM. */
export const IGNORABLES = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;

/**
 * A model's name (letters, then digits: H800, R1, MI308) in the plural, as
 * news counts chips ("2,048 H800s"); null for any other word. Terms and cue
 * phrases that end in such a name match this form too.
 */
export function modelPlural(word: string): string | null {
  return /^[a-z]+\d+$/i.test(word) ? `${word}s` : null;
}

/** Is a phrase a short all-caps cue (AI, LLM, GPU)? Those are matched as written: "ai" or "Gpu" in running text are not them. */
export function isAcronym(phrase: string): boolean {
  return /^[A-Z0-9]{1,4}$/.test(phrase.trim());
}

/** The raw text of token k (ignorable characters removed). */
export function tokenRaw(text: string, t: TokenArrays, k: number): string {
  const raw = text.slice(t.starts[k], t.ends[k]);
  return t.flags[k] === 2 ? raw.replace(IGNORABLES, '') : raw;
}

/** The normalised (lowercased) text of token k. */
export function tokenNorm(text: string, t: TokenArrays, k: number): string {
  return tokenRaw(text, t, k).toLowerCase();
}

/** Tokens as objects: for phrases, cues and card ranking, where texts are short. */
export function tokenize(written: string): Token[] {
  const text = foldWidth(written);
  const t = tokenizeInto(text);
  const out: Token[] = [];
  for (let k = 0; k < t.count; k++) {
    const raw = tokenRaw(text, t, k);
    out.push({ norm: raw.toLowerCase(), raw, start: t.starts[k]!, end: t.ends[k]!, joiner: JOINERS[t.joiners[k]!]! });
  }
  return out;
}
