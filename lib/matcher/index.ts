/**
 * The matching engine: finds candidate mentions of the dataset's terms in one
 * block of text and applies the dataset's context rules.
 *
 * Terms and cue phrases are compiled once into token tries (a Map per node),
 * so scanning walks each token position a few steps deep: the cost grows with
 * the text, not with the number of terms. Everything that decides *what*
 * matches (terms, aliases, cues, vetoes, scope) comes from the dataset.
 */
import type { CueSet, Topic } from '../dataset/schema';
import { inflections } from './inflect';
import { J_HYPHEN, J_OTHER, J_SPACE, tokenize, tokenizeInto, tokenRaw, tokenNorm, type Joiner, type TokenArrays } from './tokenize';

export { tokenize, type Token } from './tokenize';

export interface MatcherSpec {
  topics: Pick<Topic, 'id' | 'terms'>[];
  cues: Record<string, Pick<CueSet, 'phrases'>>;
}

/** A candidate mention in one block; start/end are UTF-16 offsets into the text that was scanned. */
export interface Candidate {
  start: number;
  end: number;
  topicId: string;
  /** The dataset term that matched. */
  term: string;
  /** True when the term carries a context rule. */
  ambiguous: boolean;
  scope: 'block' | 'page';
  requires?: readonly string[];
  /** Cues the page may be about instead of the block holding a required cue. */
  about?: readonly string[];
  vetoes?: readonly string[];
}

/** What the page as a whole says, for rules that look past their paragraph. */
export interface PageContext {
  /** Cue names seen anywhere on the page. */
  cues: { has(name: string): boolean };
  /** Cue names the page is about: in its title or a heading, or seen at least ABOUT_HITS times. */
  about: { has(name: string): boolean };
}

/** How many times a cue must occur on a page for the page to be about it, when no title or heading names it. */
export const ABOUT_HITS = 3;

export interface CueHit {
  name: string;
  start: number;
  end: number;
}

export interface BlockScan {
  candidates: Candidate[];
  /** Cue-set names present in the block, plus '@topic' for each topic with a rule-free term here. */
  cues: Set<string>;
  /** Where each cue occurs, so a candidate's own text never counts as its own cue. */
  cueHits: CueHit[];
}

interface Entry {
  /** Joiners required between tokens (length = tokens - 1), as J_* codes. */
  joiners: number[];
  /** For case-sensitive entries, the exact tokens. */
  exact?: string[];
  length: number;
  payload: TermPayload | CuePayload;
}

interface TermPayload {
  kind: 'term';
  topicId: string;
  term: string;
  active: boolean;
  requires?: readonly string[];
  about?: readonly string[];
  vetoes?: readonly string[];
  scope: 'block' | 'page';
}

interface CuePayload {
  kind: 'cue';
  name: string;
}

interface TrieNode {
  children: Map<string, TrieNode>;
  entries: Entry[];
}

export interface CompiledMatcher {
  readonly root: TrieNode;
  readonly termCount: number;
  /** Quick reject for a token that starts no term or cue: a bitmap over its first two chars. */
  readonly firstPairs: Uint8Array;
  /** Cue names whose place in the page's title, headings and count matter: a rule's `about`, a page-scope rule's vetoes. */
  readonly aboutNames: ReadonlySet<string>;
}

function pairKey(a: number, b: number): number {
  return (a * 31 + b) & 0xffff;
}

const newNode = (): TrieNode => ({ children: new Map(), entries: [] });

/**
 * Compiles the dataset's terms and cue sets. Topics not in `enabledTopics`
 * still count as `@topic` cues for other topics' rules, but yield no candidates.
 */
export function compileMatcher(spec: MatcherSpec, enabledTopics?: ReadonlySet<string>): CompiledMatcher {
  const root = newNode();
  let termCount = 0;
  const aboutNames = new Set<string>();
  for (const topic of spec.topics) {
    const active = !enabledTopics || enabledTopics.has(topic.id);
    for (const term of topic.terms) {
      const tokens = tokenize(term.text);
      if (!tokens.length) continue;
      for (const name of term.about ?? []) aboutNames.add(name);
      if (term.scope === 'page') for (const name of [...(term.requires ?? []), ...(term.vetoes ?? [])]) aboutNames.add(name);
      const payload: TermPayload = {
        kind: 'term',
        topicId: topic.id,
        term: term.text,
        active,
        requires: term.requires,
        about: term.about,
        vetoes: term.vetoes,
        scope: term.scope ?? 'block',
      };
      const lastForms = term.inflect && !term.caseSensitive ? inflections(tokens.at(-1)!.norm) : [tokens.at(-1)!.norm];
      for (const last of lastForms) {
        const norms = [...tokens.slice(0, -1).map((t) => t.norm), last];
        insert(root, norms, {
          joiners: tokens.slice(1).map((t) => termJoiner(t.joiner)),
          exact: term.caseSensitive ? tokens.map((t) => t.raw) : undefined,
          length: norms.length,
          payload,
        });
        termCount++;
      }
    }
  }
  for (const [name, set] of Object.entries(spec.cues)) {
    for (const phrase of set.phrases) {
      const tokens = tokenize(phrase);
      if (!tokens.length) continue;
      // Short all-caps cues (AI, LLM, GPU) are acronyms: "ai" or "Gpu" in running text are not them.
      const exact = /^[A-Z0-9]{1,4}$/.test(phrase.trim()) ? tokens.map((t) => t.raw) : undefined;
      insert(
        root,
        tokens.map((t) => t.norm),
        {
          joiners: tokens.slice(1).map((t) => termJoiner(t.joiner)),
          exact,
          length: tokens.length,
          payload: { kind: 'cue', name },
        },
      );
    }
  }
  const firstPairs = new Uint8Array(65536);
  for (const key of root.children.keys()) firstPairs[pairKey(key.charCodeAt(0), key.length > 1 ? key.charCodeAt(1) : -1)] = 1;
  return { root, termCount, firstPairs, aboutNames };
}

function insert(root: TrieNode, norms: string[], entry: Entry): void {
  let node = root;
  for (const norm of norms) {
    let next = node.children.get(norm);
    if (!next) {
      next = newNode();
      node.children.set(norm, next);
    }
    node = next;
  }
  node.entries.push(entry);
}

const JOINER_CODE: Record<Joiner, number> = { none: 0, space: 1, hyphen: 2, dot: 3, other: 4 };

/** In a term, a space and a hyphen are the same joiner; a dot must be a dot; CJK needs none. */
function termJoiner(joiner: Joiner): number {
  return joiner === 'hyphen' || joiner === 'other' ? J_SPACE : JOINER_CODE[joiner];
}

function joinerFits(required: number, actual: number): boolean {
  if (required === J_SPACE) return actual === J_SPACE || actual === J_HYPHEN;
  return required === actual && actual !== J_OTHER;
}

function entryFits(entry: Entry, text: string, t: TokenArrays, at: number): boolean {
  for (let k = 1; k < entry.length; k++) {
    if (!joinerFits(entry.joiners[k - 1]!, t.joiners[at + k]!)) return false;
  }
  if (entry.exact) {
    for (let k = 0; k < entry.length; k++) if (tokenRaw(text, t, at + k) !== entry.exact[k]) return false;
  }
  return true;
}

/** Finds every term candidate and cue in a block of text. */
export function scanBlock(m: CompiledMatcher, text: string): BlockScan {
  const t = tokenizeInto(text);
  const lower = text.toLowerCase();
  // Lowercasing can change length for a few characters (e.g. "İ"); then normalise per token.
  const direct = lower.length === text.length;
  const norm = (k: number) => (direct && t.flags[k] !== 2 ? lower.slice(t.starts[k], t.ends[k]) : tokenNorm(text, t, k));
  const candidates: Candidate[] = [];
  const cueHits: CueHit[] = [];
  const cues = new Set<string>();
  const count = t.count;
  for (let i = 0; i < count; i++) {
    const s = t.starts[i]!;
    const second = t.ends[i]! - s > 1 ? lower.charCodeAt(s + 1) : -1;
    if (direct && !m.firstPairs[pairKey(lower.charCodeAt(s), second)]) continue;
    let node = m.root.children.get(norm(i));
    for (let j = i; node;) {
      for (const entry of node.entries) {
        if (!entryFits(entry, text, t, i)) continue;
        const start = t.starts[i]!;
        const end = t.ends[j]!;
        const p = entry.payload;
        if (p.kind === 'cue') {
          cueHits.push({ name: p.name, start, end });
          cues.add(p.name);
          continue;
        }
        const ambiguous = Boolean(p.requires?.length || p.about?.length || p.vetoes?.length);
        if (!ambiguous) {
          cues.add(`@${p.topicId}`);
          cueHits.push({ name: `@${p.topicId}`, start, end });
        }
        if (p.active) {
          candidates.push({ start, end, topicId: p.topicId, term: p.term, ambiguous, scope: p.scope, requires: p.requires, about: p.about, vetoes: p.vetoes });
        }
      }
      j++;
      if (j >= count || !node.children.size) break;
      node = node.children.get(norm(j));
    }
  }
  return { candidates, cues, cueHits };
}

/**
 * What separates the texts of a batch scanned at once (the content script
 * joins a page's paragraphs with it): a character that is neither a word nor
 * a space, so no term or cue phrase can span two texts.
 */
export const BATCH_SEPARATOR = '\u0000';

/**
 * Applies context rules and resolves overlaps. A required cue counts only at
 * other positions than the candidate itself; a veto counts anywhere but the
 * candidate's exact span, so a look-alike phrase that contains the term
 * ("double-distilled", 蒸馏水) vetoes it. Of overlapping candidates the
 * longest wins, then the earliest.
 *
 * Scopes: `block` looks at the paragraph, and past it only at what the page
 * is about, for the cues a rule lists in `about` (a bare "R1" on a page about
 * DeepSeek). `page` takes a required cue from anywhere on the page, unless the
 * paragraph holds a veto or the page is about a veto and not about any
 * required cue (an arms-compliance page with a chip link in its sidebar).
 */
export function resolveBlock(scan: BlockScan, page: PageContext | { has(name: string): boolean }): Candidate[] {
  if (!scan.candidates.length) return [];
  const context: PageContext = 'about' in page ? page : { cues: page, about: NONE };
  const spans = cueSpans(scan);
  // A cue hit counts for a candidate unless it overlaps the candidate itself:
  // some hit ends before it starts, or some hit starts after it ends.
  const elsewhere = (name: string, c: Candidate) => {
    const span = spans.get(name);
    return !!span && (span.minEnd <= c.start || span.maxStart >= c.end);
  };
  const vetoed = (c: Candidate) =>
    !!c.vetoes?.some(
      (name) =>
        elsewhere(name, c) || scan.cueHits.some((h) => h.name === name && (h.start !== c.start || h.end !== c.end) && h.start < c.end && h.end > c.start),
    );
  const accepted = scan.candidates.filter((c) => {
    if (!c.ambiguous) return true;
    const inBlock = (name: string) => elsewhere(name, c);
    if (c.scope === 'block') {
      if (vetoed(c)) return false;
      if (c.about?.some((name) => context.about.has(name))) return true;
      return !c.requires?.length || c.requires.some(inBlock);
    }
    // Page scope: a required cue in the paragraph itself settles it; a veto
    // counts in the paragraph (a page may cover arms and chips in turn), and
    // on the page only when the page is about it and not about what the rule needs.
    if (c.requires?.some(inBlock)) return true;
    if (vetoed(c)) return false;
    if (c.vetoes?.some((name) => context.about.has(name)) && !c.requires?.some((name) => context.about.has(name))) return false;
    return !c.requires?.length || c.requires.some((name) => context.cues.has(name));
  });
  // Of overlapping candidates the longest wins, then the earliest. Claimed
  // characters are marked in a bitmap, so this stays linear in the text.
  const byLength = [...accepted].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  let extent = 0;
  for (const c of accepted) if (c.end > extent) extent = c.end;
  const taken = new Uint8Array(extent);
  const chosen: Candidate[] = [];
  outer: for (const c of byLength) {
    for (let i = c.start; i < c.end; i++) if (taken[i]) continue outer;
    taken.fill(1, c.start, c.end);
    chosen.push(c);
  }
  return chosen.sort((a, b) => a.start - b.start);
}

const NONE = { has: () => false };

/** Per cue name: the earliest end and the latest start of its hits. */
function cueSpans(scan: BlockScan): Map<string, { minEnd: number; maxStart: number }> {
  const spans = new Map<string, { minEnd: number; maxStart: number }>();
  for (const hit of scan.cueHits) {
    const span = spans.get(hit.name);
    if (!span) spans.set(hit.name, { minEnd: hit.end, maxStart: hit.start });
    else {
      if (hit.end < span.minEnd) span.minEnd = hit.end;
      if (hit.start > span.maxStart) span.maxStart = hit.start;
    }
  }
  return spans;
}
