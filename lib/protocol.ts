/**
 * The one message contract between the parts of the extension.
 *
 * Calls are named by direction, as in Dark Reader and the Hypothesis client:
 * - `ContentToBackground`: what a content script may ask. Unprivileged: it
 *   reads, and reports its own tab's findings for the badge. The only writes it
 *   may request are the card's two "less of this" actions, and for "not on this
 *   site" the background takes the site from the sender, never from the message.
 * - `PageToBackground`: what extension pages (popup, options) may ask, on top of
 *   the above. Only these change data.
 * - `ToContent`: what the background or the popup may ask a content script.
 *
 * Replies are `Result`s because an `Error` does not survive structured cloning
 * across every browser's messaging.
 */
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
}

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
}

/** One mention on a page, as the popup lists it. */
export interface Finding {
  index: number;
  topicId: string;
  text: string;
  sentence: string;
}

export interface PageFindings {
  /** 'scanning' until the first full pass has painted. */
  /** `opted-out`: the page asked extensions like ours to stay away (see collect.ts). */
  state: 'scanning' | 'done' | 'off-site' | 'opted-out';
  url: string;
  total: number;
  byTopic: Record<string, number>;
  findings: Finding[];
  /** True when more mentions were found than are painted (see MAX_PAINTED). */
  capped: boolean;
}

export interface ContentToBackground {
  getIndex: { req: Record<string, never>; res: TermIndex };
  getCards: { req: { topicId: string }; res: CardView[] };
  reportFindings: { req: { total: number; byTopic: Record<string, number> }; res: null };
  muteTopic: { req: { topicId: string }; res: null };
  muteSite: { req: Record<string, never>; res: null };
  openSummary: { req: Record<string, never>; res: null };
}

export interface PageToBackground extends ContentToBackground {
  getDatasetInfo: { req: Record<string, never>; res: DatasetInfo };
  importDataset: { req: { text: string }; res: DatasetInfo };
  resetDataset: { req: Record<string, never>; res: DatasetInfo };
  exportDataset: { req: Record<string, never>; res: string };
  getNotices: { req: Record<string, never>; res: string[] };
}

export interface ToContent {
  getFindings: { req: Record<string, never>; res: PageFindings };
  revealMention: { req: { index: number }; res: null };
  stepMention: { req: { direction: 1 | -1 }; res: null };
}

export type Message<M, K extends keyof M = keyof M> = K extends keyof M
  ? { type: K } & (M[K] extends { req: infer R } ? R : never)
  : never;

export type Reply<M, K extends keyof M> = M[K] extends { res: infer R } ? Result<R> : never;

/** Names of the calls a content script may make; everything else needs an extension page. */
export const CONTENT_CALLS: ReadonlySet<keyof ContentToBackground> = new Set([
  'getIndex',
  'getCards',
  'reportFindings',
  'muteTopic',
  'muteSite',
  'openSummary',
]);

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(error: string, details?: string[]): Result<never> {
  return details ? { ok: false, error, details } : { ok: false, error };
}
