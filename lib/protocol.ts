/**
 * The one message contract between the parts of the extension, typed at both
 * ends and validated where a message is received.
 *
 * Calls are named by direction, as in Dark Reader and the Hypothesis client:
 * - `ContentCalls`: what a content script may ask the background. Unprivileged:
 *   it reads, and reports its own tab's count for the badge. The only writes it
 *   may request are the card's two "less of this" actions; for "not on this
 *   site" the background takes the site from the sender, never the message.
 * - `PageCalls`: what extension pages (popup, settings) may ask on top of
 *   those. Only these change data.
 * - `TabCalls`: what the background or the popup may ask a content script.
 *
 * Each call has a request schema (checked by the receiver) and a reply type.
 * Tab requests are checked by hand (`parseTabRequest`): every frame's
 * content script receives them, and a schema library would add about 4.6 kB
 * of script to every frame for three small shapes.
 * Replies are `Result`s because an `Error` does not survive structured cloning
 * across every browser's messaging.
 */
import * as v from 'valibot';
import type { Card, Source, Topic } from './dataset/schema';
import type { MatcherSpec } from './matcher';

export type Result<T> = { ok: true; value: T } | { ok: false; error: string; details?: string[] };

/** A card with its sources resolved, ready to render. */
export interface CardView extends Card {
  sources: Record<string, Source>;
  reviewed: string;
}

export interface TopicSummary {
  id: Topic['id'];
  name: string;
  description: string;
}

/** What the content script needs to scan a page, published to storage.local by the background. */
export interface TermIndex {
  version: string;
  topics: TopicSummary[];
  spec: MatcherSpec;
  /**
   * Per topic, the token lists its terms match, worked out by the background
   * for the gate, and the matcher code that did it (lib/matcher/build.ts).
   * Left out when they would be large.
   */
  forms?: { build: string; byTopic: Record<string, string[][]> };
}

export { TERM_INDEX_KEY } from './term-index';

export interface DatasetInfo {
  version: string;
  reviewed: string;
  origin: 'bundled' | 'imported';
  topics: number;
  cards: number;
  sources: number;
  facts: number;
  viewpoints: number;
  loadedAt: string;
  /** The dataset's reach in time: its oldest and newest dated fact, and the range of its cards' as-of dates (null where none is given). */
  coverage: { firstFact: string | null; lastFact: string | null; asOfOldest: string | null; asOfNewest: string | null };
}

/** One mention on a page, as the popup lists it. */
export interface Finding {
  index: number;
  topicId: string;
  text: string;
  sentence: string;
}

export interface PageFindings {
  /**
   * 'scanning' until the first page-wide pass has finished; 'off-site' where
   * the reader turned Counterpoint off; 'opted-out' where the page asked
   * extensions like ours to stay away (see collect.ts).
   */
  state: 'scanning' | 'done' | 'off-site' | 'opted-out';
  url: string;
  total: number;
  byTopic: Record<string, number>;
  findings: Finding[];
  /** True when more mentions were found than are painted (see lib/limits.ts). */
  capped: boolean;
  /** Index in `findings` of the mention nearest the middle of the viewport (what the reader is reading), or null. */
  reading: number | null;
}

const Empty = v.strictObject({});
const TopicId = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a topic id'));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1e9));

/** Requests a content script may send to the background. */
export const CONTENT_REQUESTS = {
  getIndex: Empty,
  getCards: v.strictObject({ topicId: TopicId }),
  reportFindings: v.strictObject({ total: Count }),
  muteTopic: v.strictObject({ topicId: TopicId }),
  muteSite: Empty,
  openSummary: Empty,
  /** Open the reading companion beside the asking tab (from a click in the card). */
  openCompanion: Empty,
  /** Add the card's code to the asking frame (the first time a card is about to open there). */
  loadCard: Empty,
  /** Add the content script proper to the asking frame, below the top, once it holds text worth scanning (entrypoints/frame.ts). */
  loadApp: Empty,
};

/** Requests only extension pages may send (on top of the content script's). */
export const PAGE_REQUESTS = {
  getDatasetInfo: Empty,
  importDataset: v.strictObject({ text: v.string() }),
  resetDataset: Empty,
  exportDataset: Empty,
  getNotices: Empty,
};

/** Requests the background or the popup may send to a tab's content script (checked by `parseTabRequest`). */
export interface TabRequests {
  getFindings: Record<string, never>;
  revealMention: { index: number };
  stepMention: { direction: 1 | -1 };
}

export interface ContentReplies {
  getIndex: TermIndex;
  getCards: CardView[];
  reportFindings: null;
  muteTopic: null;
  muteSite: null;
  openSummary: null;
  openCompanion: null;
  loadCard: null;
  loadApp: null;
}

export interface PageReplies extends ContentReplies {
  getDatasetInfo: DatasetInfo;
  importDataset: DatasetInfo;
  resetDataset: DatasetInfo;
  exportDataset: string;
  getNotices: string[];
}

export interface TabReplies {
  getFindings: PageFindings;
  revealMention: null;
  stepMention: null;
}

export type ContentCall = keyof typeof CONTENT_REQUESTS;
export type PageCall = ContentCall | keyof typeof PAGE_REQUESTS;
export type TabCall = keyof TabRequests;

type SchemaRequests = typeof CONTENT_REQUESTS & typeof PAGE_REQUESTS;
/** The request fields of a call. */
export type Req<K extends PageCall | TabCall> = K extends keyof SchemaRequests ? v.InferOutput<SchemaRequests[K]> : K extends TabCall ? TabRequests[K] : never;

export const BACKGROUND_REQUESTS = { ...CONTENT_REQUESTS, ...PAGE_REQUESTS };

/** Calls a content script may make; everything else needs an extension page. */
export const CONTENT_CALLS: ReadonlySet<string> = new Set(Object.keys(CONTENT_REQUESTS));

/** The background's handlers: one per call, each answering its call's reply type. */
export type BackgroundHandlers<Sender> = {
  [K in PageCall]: (req: Req<K>, sender: Sender) => Promise<PageReplies[K]>;
};

/** A content script's handlers for what the background and the popup ask it. */
export type TabHandlers = {
  [K in TabCall]: (req: Req<K>) => TabReplies[K];
};

/**
 * Checks a received message against a request map: a known `type` and fields
 * of the right shape. Returns the call and its request, or why not.
 */
export function parseRequest<M extends Record<string, v.GenericSchema>>(
  requests: M,
  message: unknown,
  /** Checked after the call is known and before its fields are: may this sender make it? */
  allowed: (type: keyof M & string) => string | null = () => null,
): { ok: true; type: keyof M & string; req: unknown } | { ok: false; known: boolean; error: string } {
  if (!message || typeof message !== 'object' || Array.isArray(message)) return { ok: false, known: false, error: 'malformed message' };
  const { type, ...fields } = message as { type?: unknown };
  if (typeof type !== 'string') return { ok: false, known: false, error: 'malformed message' };
  if (!Object.hasOwn(requests, type)) return { ok: false, known: false, error: `unknown call: ${type.slice(0, 40)}` };
  const refused = allowed(type);
  if (refused) return { ok: false, known: true, error: refused };
  const parsed = v.safeParse(requests[type]!, fields);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = issue.path?.map((p) => String(p.key)).join('.') || 'request';
    return { ok: false, known: true, error: `invalid ${type} request: ${where} ${issue.message}` };
  }
  return { ok: true, type, req: parsed.output };
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(error: string, details?: string[]): Result<never> {
  return details ? { ok: false, error, details } : { ok: false, error };
}
