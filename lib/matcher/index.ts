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
import {
  foldWidth,
  isAcronym,
  modelPlural,
  J_HYPHEN,
  J_OTHER,
  J_SPACE,
  tokenize,
  tokenizeInto,
  tokenRaw,
  tokenNorm,
  type Joiner,
  type Token,
  type TokenArrays,
} from './tokenize';

export { tokenize, type Token } from './tokenize';
export { compileCueGate, compileGate, formsIn, mayMatch, type CueGate, type Gate, type TermForms } from './gate';
export { MATCHER_BUILD } from './build';

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
  /** Cue sets that rule the term out in their paragraph, whatever else is there. */
  excludes?: readonly string[];
  /** Cue sets that rule the term out when they follow it closely (within NEAR_CHARS). */
  vetoesAfter?: readonly string[];
  /** The match goes on past the term over name parts ("DeepSeek-V3" + "-Base"). */
  grown?: boolean;
}

/** How close after a term a `vetoesAfter` cue must start to count. */
export const NEAR_CHARS = 40;

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
  excludes?: readonly string[];
  vetoesAfter?: readonly string[];
  scope: 'block' | 'page';
  /** Single-token parts the name may go on with, after a hyphen (besides anything with a digit). */
  nameParts?: ReadonlySet<string>;
  /** First tokens of this topic's terms: the names a bare short name may follow. */
  standalone?: ReadonlySet<string>;
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
  const steps = compileSteps(spec, enabledTopics);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Terms or phrases compiled between two pauses of `compileSteps`. */
const STEP_PHRASES = 8;

/**
 * The same compilation, paused every STEP_PHRASES terms or phrases, so a
 * caller with a time budget (the content script, compiling cold in the
 * page's main thread) can spread it over tasks: run `next()` until done.
 */
export function* compileSteps(spec: MatcherSpec, enabledTopics?: ReadonlySet<string>): Generator<void, CompiledMatcher, void> {
  const root = newNode();
  let termCount = 0;
  let sinceStep = 0;
  const aboutNames = new Set<string>();
  const partSets = new Map<string, Set<string>>();
  const partsOf = (name: string) => {
    let set = partSets.get(name);
    if (!set) {
      set = new Set((spec.cues[name]?.phrases ?? []).map((p) => p.toLowerCase()));
      partSets.set(name, set);
    }
    return set;
  };
  // Cue sets some rule names as a cue (requires, about, vetoes, excludes, vetoesAfter).
  const usedAsCue = new Set<string>();
  for (const topic of spec.topics) {
    for (const t of topic.terms)
      for (const list of [t.requires, t.about, t.vetoes, t.excludes, t.vetoesAfter]) for (const name of list ?? []) usedAsCue.add(name);
  }
  for (const topic of spec.topics) {
    const active = !enabledTopics || enabledTopics.has(topic.id);
    const tokenized = topic.terms.map((term) => tokenize(term.text));
    const ownFirsts = new Set(topic.terms.flatMap((x, i) => (x.standalone ? [] : [tokenized[i]![0]?.norm ?? ''])));
    for (let i = 0; i < topic.terms.length; i++) {
      const term = topic.terms[i]!;
      const tokens = tokenized[i]!;
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
        excludes: term.excludes,
        vetoesAfter: term.vetoesAfter,
        scope: term.scope ?? 'block',
        nameParts: term.nameParts ? partsOf(term.nameParts) : undefined,
        standalone: term.standalone ? ownFirsts : undefined,
      };
      for (const { norms, exact } of formsOf(term, tokens)) {
        insert(root, norms, {
          joiners: tokens.slice(1).map((t) => termJoiner(t.joiner)),
          exact,
          length: norms.length,
          payload,
        });
        termCount++;
      }
      if (++sinceStep >= STEP_PHRASES) {
        sinceStep = 0;
        yield;
      }
    }
  }
  for (const [name, set] of Object.entries(spec.cues)) {
    // A set of name parts is read token by token after a name, never looked for on its own.
    if (partSets.has(name) && !aboutNames.has(name) && !usedAsCue.has(name)) continue;
    for (const phrase of set.phrases) {
      const tokens = tokenize(phrase);
      if (!tokens.length) continue;
      const joiners = tokens.slice(1).map((t) => termJoiner(t.joiner));
      for (const form of phraseForms(tokens)) {
        const exact = isAcronym(phrase) ? form.map((t) => t.raw) : undefined;
        insert(
          root,
          form.map((t) => t.norm),
          { joiners, exact, length: tokens.length, payload: { kind: 'cue', name } },
        );
      }
      if (++sinceStep >= STEP_PHRASES) {
        sinceStep = 0;
        yield;
      }
    }
  }
  const firstPairs = new Uint8Array(65536);
  for (const key of root.children.keys()) firstPairs[pairKey(key.charCodeAt(0), key.length > 1 ? key.charCodeAt(1) : -1)] = 1;
  return { root, termCount, firstPairs, aboutNames };
}

type Term = MatcherSpec['topics'][number]['terms'][number];

/** A cue phrase's tokens, and with a model's name at its end in the plural. */
export function phraseForms(tokens: readonly Token[]): (readonly Pick<Token, 'raw' | 'norm'>[])[] {
  const last = tokens.at(-1)!;
  const plural = modelPlural(last.raw);
  return plural ? [tokens, [...tokens.slice(0, -1), { raw: plural, norm: plural.toLowerCase() }]] : [tokens];
}

/** One form a term matches: its words lowercased, and as written for a case-sensitive term. */
interface TermForm {
  norms: string[];
  exact?: string[];
}

/** The forms a term matches: with its last word inflected when it asks for that, else as a cue phrase's (its own, and a model's name in the plural). */
function formsOf(term: Term, tokens: readonly Token[]): TermForm[] {
  const exact = (form: readonly Pick<Token, 'raw'>[]) => (term.caseSensitive ? form.map((t) => t.raw) : undefined);
  if (!term.inflect) return phraseForms(tokens).map((form) => ({ norms: form.map((t) => t.norm), exact: exact(form) }));
  const head = tokens.slice(0, -1).map((t) => t.norm);
  const last = tokens.at(-1)!.norm;
  return (term.caseSensitive ? [last] : inflections(last)).map((end) => ({ norms: [...head, end], exact: exact(tokens) }));
}

/** Every token list that one topic's terms match (what the gate is built from). */
export function* topicTermForms(topic: Pick<MatcherSpec['topics'][number], 'terms'>): Generator<string[], void, void> {
  for (const term of topic.terms) {
    const tokens = tokenize(term.text);
    if (tokens.length) for (const form of formsOf(term, tokens)) yield form.norms;
  }
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
export function scanBlock(m: CompiledMatcher, written: string): BlockScan {
  // Full-width letters and digits are read as ASCII; offsets stay the same.
  const text = foldWidth(written);
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
        let end = t.ends[j]!;
        const p = entry.payload;
        if (p.kind === 'cue') {
          cueHits.push({ name: p.name, start, end });
          cues.add(p.name);
          continue;
        }
        if (p.standalone && followsOtherName(text, t, i, p.standalone, norm)) continue;
        const last = p.nameParts ? nameEnd(t, j, p.nameParts, norm) : j;
        if (last !== j) end = t.ends[last]!;
        const ambiguous = Boolean(p.requires?.length || p.about?.length || p.vetoes?.length || p.vetoesAfter?.length);
        if (!ambiguous) {
          cues.add(`@${p.topicId}`);
          cueHits.push({ name: `@${p.topicId}`, start, end });
        }
        if (p.active) {
          candidates.push({
            start,
            end,
            topicId: p.topicId,
            term: p.term,
            ambiguous,
            scope: p.scope,
            requires: p.requires,
            about: p.about,
            vetoes: p.vetoes,
            excludes: p.excludes,
            vetoesAfter: p.vetoesAfter,
            grown: last !== j || undefined,
          });
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
 * Where a model name ends that may go on past its term: over hyphenated
 * parts that hold a digit or are listed ("DeepSeek-V3" in "DeepSeek-V3-Base"
 * or "DeepSeek-R1-0528" names the whole model). Returns the last token.
 */
function nameEnd(t: TokenArrays, j: number, parts: ReadonlySet<string>, norm: (k: number) => string): number {
  while (j + 1 < t.count && t.joiners[j + 1] === J_HYPHEN) {
    const next = norm(j + 1);
    if (!parts.has(next) && !/\d/.test(next)) break;
    j++;
  }
  return j;
}

/**
 * Does a bare short name ("R1", "V3") follow another product's name, which
 * makes it that product's model ("MobileNet V3", "YZF-R1")? The sign is a
 * name right before it, joined by a space or hyphen, that is written like a
 * brand (capitals inside or all capitals) and is not one of the topic's own
 * names. A capitalised ordinary word ("Releases R1" in a title-case
 * headline) is no such sign.
 */
function followsOtherName(text: string, t: TokenArrays, i: number, own: ReadonlySet<string>, norm: (k: number) => string): boolean {
  if (i === 0) return false;
  const joiner = t.joiners[i];
  if (joiner !== J_SPACE && joiner !== J_HYPHEN) return false;
  if (own.has(norm(i - 1))) return false;
  const prev = tokenRaw(text, t, i - 1);
  if (prev.length < 2) return false;
  let upper = 0;
  for (let k = 0; k < prev.length; k++) {
    const c = prev.charCodeAt(k);
    if (c >= 0x41 && c <= 0x5a) upper++;
  }
  // Capitals inside the word (MobileNet) or all capitals (YZF, BMW).
  return upper >= 2 || (upper === 1 && !(prev.charCodeAt(0) >= 0x41 && prev.charCodeAt(0) <= 0x5a));
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
 * candidate's exact span, and a look-alike phrase that contains the term
 * ("double-distilled", 蒸馏水, "arms export controls") rules it out before
 * anything else is weighed. `excludes` rule a term out in their paragraph
 * whatever else is there (China's own controls on gallium, in a paragraph
 * that also says "chips"). Of overlapping candidates the longest wins, then
 * the earliest.
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
  const hits = hitIndexOf(scan.cueHits);
  // A cue hit counts for a candidate unless it overlaps the candidate itself:
  // some hit ends before it starts, or some hit starts after it ends.
  const elsewhere = (name: string, c: Candidate) => hits.outside(name, c.start, c.end);
  const containing = (name: string, c: Candidate) => hits.overlapping(name, c.start, c.end, true);
  const vetoed = (c: Candidate) => !!c.vetoes?.some((name) => elsewhere(name, c) || containing(name, c));
  const after = (name: string, c: Candidate) => hits.startsWithin(name, c.end, c.end + NEAR_CHARS);
  const accepted = scan.candidates.filter((c) => {
    if (c.excludes?.some((name) => elsewhere(name, c) || containing(name, c))) return false;
    if (!c.ambiguous) return true;
    if (c.vetoes?.some((name) => containing(name, c))) return false;
    if (c.vetoesAfter?.some((name) => after(name, c))) return false;
    // A required cue inside one of the term's look-alike phrases ("chips" in
    // "potato chips") is part of the look-alike, not a sign of the topic.
    const inBlock = (name: string) => elsewhere(name, c) && (!c.vetoes?.length || hits.freeOutside(name, c.vetoes, c.start, c.end));
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
  // Of two the same length, a term as written beats a name grown by its parts ("R1-Distill", not "R1" + "-Distill").
  const byLength = [...accepted].sort((a, b) => b.end - b.start - (a.end - a.start) || Number(!!a.grown) - Number(!!b.grown) || a.start - b.start);
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

/**
 * Indexes are kept per hit list, so the parts of one huge paragraph resolved
 * in turn (each part's candidates against the whole paragraph's cue hits)
 * index the hits once.
 */
const indexes = new WeakMap<readonly CueHit[], HitIndex>();

function hitIndexOf(hits: readonly CueHit[]): HitIndex {
  let index = indexes.get(hits);
  if (!index) indexes.set(hits, (index = new HitIndex(hits)));
  return index;
}

/**
 * A block's cue hits gathered a piece at a time (a paragraph of megabytes,
 * scanned a window at a time), and indexed as they come: indexing hundreds
 * of thousands of hits at once, when the first part of its candidates is
 * resolved, took a slice of 40 ms and more. Add every hit (in order of
 * start) before resolving against `hits`.
 */
export class CueHitCollector {
  readonly hits: CueHit[] = [];
  readonly cues = new Set<string>();
  private readonly index = new HitIndex([]);

  constructor() {
    indexes.set(this.hits, this.index);
  }

  add(hit: CueHit): void {
    this.hits.push(hit);
    this.cues.add(hit.name);
    this.index.add(hit);
  }
}

/**
 * A block's cue hits by name, in order of start, so each question a
 * candidate asks costs a binary search and not a pass over every hit: a
 * paragraph of 10 MB holds hundreds of thousands of hits and candidates.
 */
class HitIndex {
  private readonly byName = new Map<string, { starts: number[]; ends: number[]; longest: number; minEnd: number }>();
  private readonly free = new Map<string, { minEnd: number; maxStart: number } | null>();

  constructor(hits: readonly CueHit[]) {
    for (const h of hits) this.add(h);
  }

  /** Hits arrive in order of start (the scan walks tokens left to right). */
  add(h: CueHit): void {
    let list = this.byName.get(h.name);
    if (!list) this.byName.set(h.name, (list = { starts: [], ends: [], longest: 0, minEnd: h.end }));
    list.starts.push(h.start);
    list.ends.push(h.end);
    if (h.end - h.start > list.longest) list.longest = h.end - h.start;
    if (h.end < list.minEnd) list.minEnd = h.end;
  }

  /** Is there a hit of `name` wholly before `start` or wholly after `end`? */
  outside(name: string, start: number, end: number): boolean {
    const list = this.byName.get(name);
    return !!list && (list.minEnd <= start || list.starts[list.starts.length - 1]! >= end);
  }

  /** Is there a hit of `name` that overlaps [start, end) (other than exactly it, when `otherThanExact`)? */
  overlapping(name: string, start: number, end: number, otherThanExact: boolean): boolean {
    const list = this.byName.get(name);
    if (!list) return false;
    for (let k = firstAtOrAfter(list.starts, end) - 1; k >= 0 && list.starts[k]! > start - list.longest; k--) {
      if (list.ends[k]! <= start) continue;
      if (otherThanExact && list.starts[k] === start && list.ends[k] === end) continue;
      return true;
    }
    return false;
  }

  /** Does a hit of `name` start within [from, to]? */
  startsWithin(name: string, from: number, to: number): boolean {
    const list = this.byName.get(name);
    if (!list) return false;
    const k = firstAtOrAfter(list.starts, from);
    return k < list.starts.length && list.starts[k]! <= to;
  }

  /**
   * Is there a hit of `name` outside [start, end) that no hit of the `vetoes`
   * contains ("chips" counts, "chips" in "potato chips" does not)? The hits
   * that are free of a given set of vetoes are worked out once per block.
   */
  freeOutside(name: string, vetoes: readonly string[], start: number, end: number): boolean {
    const key = `${name}\u0000${vetoes.join('\u0000')}`;
    let span = this.free.get(key);
    if (span === undefined) {
      span = null;
      const list = this.byName.get(name);
      if (list) {
        for (let k = 0; k < list.starts.length; k++) {
          const s = list.starts[k]!;
          const e = list.ends[k]!;
          if (vetoes.some((v) => this.contains(v, s, e, v === name))) continue;
          if (!span) span = { minEnd: e, maxStart: s };
          else {
            if (e < span.minEnd) span.minEnd = e;
            if (s > span.maxStart) span.maxStart = s;
          }
        }
      }
      this.free.set(key, span);
    }
    return !!span && (span.minEnd <= start || span.maxStart >= end);
  }

  /** Does a hit of `name` contain [start, end) (other than exactly it, when `otherThanExact`)? */
  private contains(name: string, start: number, end: number, otherThanExact: boolean): boolean {
    const list = this.byName.get(name);
    if (!list) return false;
    for (let k = firstAtOrAfter(list.starts, start + 1) - 1; k >= 0 && list.starts[k]! >= end - list.longest; k--) {
      if (list.ends[k]! < end) continue;
      if (otherThanExact && list.starts[k] === start && list.ends[k] === end) continue;
      return true;
    }
    return false;
  }
}

/** The index of the first value in sorted `values` that is at least `x`. */
function firstAtOrAfter(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
