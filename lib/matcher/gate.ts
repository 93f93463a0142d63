/**
 * The gate: a quick test that a text cannot hold a single candidate, so a
 * page that never mentions the topics (most pages a reader opens) is not
 * walked, tokenized and matched at all.
 *
 * Every form a term can match is a list of normalised tokens (see
 * compileSteps), and a match of it is those tokens in order, lowercased and
 * with ignorable characters removed, with nothing between them but what the
 * term's joiners accept. The gate is all the forms as one regular
 * expression over such text, where any run of those joiner characters may
 * stand between two tokens. Its `pattern` looks for substrings, never word
 * edges: the text it is given by a native read (`walkedText` in the content
 * script's collect.ts) runs the words of two blocks together where the
 * scanner would split them, so a form may be found where the scanner finds
 * nothing, never the other way round. Its `whole` pattern is for text whose
 * blocks stand apart (the walk's batches): there a form that begins or ends
 * inside a word the tokenizer reads whole ("r1" in "bar1", "v4" in "RAV4",
 * "bis" in "bishop") is no match.
 *
 * It answers "maybe" or "no", and is built from terms only: a cue without a
 * term paints nothing.
 */
import { phraseForms, topicTermForms, type MatcherSpec } from './index';
import { foldWidth, IGNORABLES, isAcronym, isAsciiDigit, isAsciiLetter, tokenize } from './tokenize';

export interface Gate {
  /** The enabled terms' forms as one pattern, over lowercase text with ignorable characters removed. */
  readonly pattern: RegExp;
  /** The same forms as whole words (see `wordEdges`), for text whose blocks stand apart. */
  readonly whole: RegExp;
}

/**
 * What may stand between two tokens of a match: the characters of the
 * joiners a term accepts (white space and the katakana middle dot, a hyphen, a dot), in any number and
 * none, since the scanner's text may put a space where the page's has none
 * (two inline elements set apart on screen). Nothing else ever does.
 */
const GAP = '[\\s\\u00a0\\u202f\\u30fb\\-\\u2010\\u2011.]*';

interface Node {
  end: boolean;
  next: Map<string, Node>;
}

/** Per topic id, the token lists its terms match, as `topicTermForms` gives them. */
export type TermForms = Readonly<Record<string, readonly (readonly string[])[]>>;

/**
 * The gate for the enabled topics' terms, or null when no term is enabled
 * (then nothing can match and every text is "no"). `published` holds the
 * forms already worked out (the term index carries them, so a page does not
 * tokenize every term, cold, to ask its first question); a topic missing
 * from it has its forms worked out here.
 */
export function compileGate(spec: MatcherSpec, enabledTopics?: ReadonlySet<string>, published?: TermForms): Gate | null {
  const trie = new FormTrie();
  for (const topic of spec.topics) {
    if (enabledTopics && !enabledTopics.has(topic.id)) continue;
    trie.addAll((published && Object.hasOwn(published, topic.id) ? published[topic.id] : undefined) ?? topicTermForms(topic));
  }
  const sources = trie.sources();
  if (!sources) return null;
  let whole: RegExp | undefined;
  // Compiled when first asked for: most pages are settled by `pattern` alone.
  return {
    pattern: new RegExp(sources[0]),
    get whole() {
      return (whole ??= new RegExp(sources[1]));
    },
  };
}

/**
 * The same quick test for cues: could a text hold one of the named cues? A
 * cue's phrases are matched like a term's forms, over lowercase text; the
 * short all-caps ones the matcher compares as written (AI, GPU) are looked
 * for as written, so "said" is no sign of "AI". A topic's name (`@deepseek`)
 * stands for its terms. Only "no" is certain, as with the gate.
 */
export interface CueGate {
  /** Over lowercase text with ignorable characters removed. */
  readonly lower: RegExp | null;
  /** Over the text as written, ignorable characters removed. */
  readonly exact: RegExp | null;
}

export function compileCueGate(spec: MatcherSpec, names: Iterable<string>): CueGate {
  const lower = new FormTrie();
  const exact = new FormTrie();
  for (const name of names) {
    if (name.startsWith('@')) {
      const topic = spec.topics.find((t) => t.id === name.slice(1));
      if (topic) lower.addAll(topicTermForms(topic));
      continue;
    }
    for (const phrase of spec.cues[name]?.phrases ?? []) {
      const tokens = tokenize(phrase);
      if (!tokens.length) continue;
      for (const form of phraseForms(tokens)) {
        if (isAcronym(phrase)) exact.add(form.map((t) => t.raw));
        else lower.add(form.map((t) => t.norm));
      }
    }
  }
  return { lower: lower.pattern(), exact: exact.pattern() };
}

/** Token lists gathered into a trie, written out as one pattern. */
class FormTrie {
  private readonly root: Node = { end: false, next: new Map() };

  add(tokens: readonly string[]): void {
    let node = this.root;
    for (const token of tokens) {
      let next = node.next.get(token);
      if (!next) node.next.set(token, (next = { end: false, next: new Map() }));
      node = next;
    }
    node.end = true;
  }

  addAll(forms: Iterable<readonly string[]>): void {
    for (const tokens of forms) this.add(tokens);
  }

  /** The pattern, or null when nothing was added. */
  pattern(): RegExp | null {
    return this.root.next.size ? new RegExp(alternation(this.root, true, false)[0]) : null;
  }

  /** The pattern's text, and that of its whole-word twin (see `wordEdges`); null when nothing was added. */
  sources(): [string, string] | null {
    return this.root.next.size ? alternation(this.root, true, true) : null;
  }
}

/**
 * The forms under a node as one alternation, shared first tokens written
 * once ("export" then its endings). A form that ends where a longer one goes
 * on stands for both: text holding the longer holds it. With `twin`, also
 * the same alternation of whole words.
 */
function alternation(node: Node, first: boolean, twin: boolean): [string, string] {
  const plain: string[] = [];
  const whole: string[] = [];
  for (const [norm, next] of node.next) {
    const token = escape(norm);
    const last = next.end || !next.next.size;
    // The whole-word twin's edges are worked out only when it is asked for (the cue gates never are).
    const [before, after] = twin && (first || last) ? wordEdges(norm) : ['', ''];
    const lead = first ? before + token : token;
    if (last) {
      plain.push(token);
      whole.push(lead + after);
    } else {
      const [p, w] = alternation(next, false, twin);
      plain.push(`${token}${GAP}(?:${p})`);
      whole.push(`${lead}${GAP}(?:${w})`);
    }
  }
  return [plain.join('|'), whole.join('|')];
}

/**
 * What may not stand right before a form's first token and right after its
 * last, as lookarounds over lowercase text: an ASCII letter or digit, which
 * the tokenizer would read as part of the same word. Except where the
 * tokenizer parts them (lib/matcher/tokenize.ts): a name of four letters
 * or more and the digits glued to it ("DeepSeek1", "2025DeepSeek"). Other
 * scripts' letters are let through: a longer match, never a missed one.
 */
function wordEdges(token: string): [string, string] {
  let letters = 0;
  while (isAsciiLetter(token.charCodeAt(letters))) letters++;
  const before = letters >= 4 ? '(?<![a-z])' : isAlnum(token.charCodeAt(0)) ? '(?<![a-z0-9])' : '';
  const after =
    letters >= 4 && letters === token.length
      ? '(?![a-z])'
      : /^[0-9]+$/.test(token)
        ? '(?![0-9])'
        : isAlnum(token.charCodeAt(token.length - 1))
          ? '(?![a-z0-9])'
          : '';
  return [before, after];
}

function isAlnum(code: number): boolean {
  return isAsciiLetter(code) || isAsciiDigit(code);
}

function escape(token: string): string {
  // Lowercasing picks σ or ς for a capital sigma by the letters around it,
  // which differ between a whole text and one token of it: either will do.
  return token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[σς]/g, '[σς]');
}

/**
 * Could this text hold a candidate, or (given `cues`) one of those cues? Only
 * "no" is certain. `whole` for text whose blocks stand apart (a walk's
 * batch): forms are then looked for as whole words.
 */
export function mayMatch(gate: Gate | null, text: string, cues?: CueGate | null, whole = false): boolean {
  if (!gate || !text) return false;
  const plain = foldWidth(text.replace(IGNORABLES, ''));
  const lower = plain.toLowerCase();
  return (whole ? gate.whole : gate.pattern).test(lower) || (!!cues && (!!cues.lower?.test(lower) || !!cues.exact?.test(plain)));
}

/**
 * What a native read (blocks run together) holds, with the text folded once:
 * no form at all, forms only inside longer words (which the walk's batches
 * may show to be two blocks' words run together), or a form as a whole word.
 */
export function formsIn(gate: Gate, text: string): 'none' | 'inside' | 'whole' {
  if (!text) return 'none';
  const lower = foldWidth(text.replace(IGNORABLES, '')).toLowerCase();
  if (!gate.pattern.test(lower)) return 'none';
  return gate.whole.test(lower) ? 'whole' : 'inside';
}
