/**
 * The dataset database. Owned by the background alone (IndexedDB in a content
 * script would be the page's own, see Dexie.js#233), so this module must never
 * be imported from a content script; the build check in tests/build/bundle.test.ts
 * enforces that.
 */
import Dexie, { type Table } from 'dexie';
import type { Card, Dataset, Source, Topic } from '@/lib/dataset/schema';

export interface MetaRow {
  key: 'dataset';
  version: string;
  reviewed: string;
  origin: 'bundled' | 'imported';
  /** The bundled version that was current when this data was loaded. */
  bundledVersion: string;
  loadedAt: string;
  counts: { topics: number; cards: number; sources: number };
  cues: Dataset['cues'];
  /** Dataset order of cards (ties in card choice go to the earlier card). */
  cardOrder: string[];
  topicOrder: string[];
}

export class CounterpointDb extends Dexie {
  meta!: Table<MetaRow, string>;
  topics!: Table<Topic, string>;
  cards!: Table<Card, string>;
  sources!: Table<Source, string>;

  constructor(name = 'counterpoint') {
    super(name);
    this.version(1).stores({
      meta: 'key',
      topics: 'id',
      cards: 'id, topicId',
      sources: 'id',
    });
  }
}

/**
 * Replaces all data in one transaction. If anything throws, Dexie aborts the
 * transaction and the previous data stays as it was.
 */
export async function replaceDataset(
  db: CounterpointDb,
  data: Dataset,
  origin: MetaRow['origin'],
  bundledVersion: string,
  loadedAt = new Date().toISOString(),
): Promise<MetaRow> {
  const meta: MetaRow = {
    key: 'dataset',
    version: data.version,
    reviewed: data.reviewed,
    origin,
    bundledVersion,
    loadedAt,
    counts: { topics: data.topics.length, cards: data.cards.length, sources: data.sources.length },
    cues: data.cues,
    cardOrder: data.cards.map((c) => c.id),
    topicOrder: data.topics.map((t) => t.id),
  };
  await db.transaction('rw', [db.meta, db.topics, db.cards, db.sources], async () => {
    await Promise.all([db.topics.clear(), db.cards.clear(), db.sources.clear()]);
    await db.topics.bulkAdd(data.topics);
    await db.cards.bulkAdd(data.cards);
    await db.sources.bulkAdd(data.sources);
    await db.meta.put(meta);
  });
  return meta;
}

/**
 * Checks that the stored data is whole: the meta row exists and the row counts
 * match what it recorded (a half-written or tampered database fails this).
 */
export async function checkIntegrity(db: CounterpointDb): Promise<MetaRow | undefined> {
  const meta = await db.meta.get('dataset');
  if (!meta) return undefined;
  const [topics, cards, sources] = await Promise.all([db.topics.count(), db.cards.count(), db.sources.count()]);
  const c = meta.counts;
  return topics === c.topics && cards === c.cards && sources === c.sources ? meta : undefined;
}

/** Reads the whole dataset back (export, and the term index). */
export async function readDataset(db: CounterpointDb): Promise<Dataset | undefined> {
  const meta = await db.meta.get('dataset');
  if (!meta) return undefined;
  const [topics, cards, sources] = await Promise.all([db.topics.toArray(), db.cards.toArray(), db.sources.toArray()]);
  return {
    schemaVersion: 1,
    version: meta.version,
    reviewed: meta.reviewed,
    cues: meta.cues,
    topics: inOrder(topics, meta.topicOrder),
    sources,
    cards: inOrder(cards, meta.cardOrder),
  };
}

/** Rows in the given id order (IndexedDB returns them by key). */
export function inOrder<T extends { id: string }>(rows: T[], ids: string[]): T[] {
  const rank = new Map(ids.map((id, i) => [id, i]));
  return [...rows].sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity));
}
