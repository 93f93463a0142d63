/**
 * Keeps IndexedDB holding a whole, valid dataset and publishes the term index
 * that content scripts scan with.
 *
 * - On install, update, and any start where the bundled version differs from
 *   the one last loaded, the bundled file is loaded in one transaction.
 * - A database that cannot be opened, is half-written, or fails its integrity
 *   check is deleted and rebuilt from the bundled file; the reader is told in the
 *   settings page (a notice in storage.local). Settings live in storage.sync and
 *   are untouched by any of this.
 * - After the service worker or event page is suspended, a new instance of this
 *   module opens the database again on first use (Dexie.js#1805).
 */
import { browser } from 'wxt/browser';
import bundledJson from '@/lib/dataset/dataset.json';
import { DATASET_LIMITS, parseDataset, parseDatasetText, type Card, type Dataset } from '@/lib/dataset/schema';
import { dateTime } from '@/lib/timeline';
import { buildTermIndex } from '@/lib/term-index';
import { MATCHER_BUILD } from '@/lib/matcher';
import { TERM_INDEX_KEY, type CardView, type DatasetInfo, type TermIndex } from '@/lib/protocol';
import { CounterpointDb, checkIntegrity, inOrder, readDataset, replaceDataset, type MetaRow } from './db';

export const NOTICES_KEY = 'notices';

export class DatasetError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export function bundledDataset(): Dataset {
  const parsed = parseDataset(bundledJson);
  if (!parsed.ok) {
    // The build's tests validate this file, so this is a packaging fault.
    throw new DatasetError(
      'The bundled dataset is invalid',
      parsed.issues.map((i) => `${i.path}: ${i.message}`),
    );
  }
  return parsed.dataset;
}

export class DatasetService {
  private db: CounterpointDb;
  private ready: Promise<MetaRow> | undefined;

  constructor(private readonly dbName = 'counterpoint') {
    this.db = new CounterpointDb(dbName);
  }

  /** Resolves once the database holds a whole dataset. Safe to call on every message. */
  ensureReady(): Promise<MetaRow> {
    this.ready ??= this.load().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async load(): Promise<MetaRow> {
    const bundled = bundledDataset();
    let meta: MetaRow | undefined;
    try {
      if (!this.db.isOpen()) await this.db.open();
      meta = await checkIntegrity(this.db);
    } catch (error) {
      await this.rebuild(`The extension's database could not be read (${(error as Error).message}).`);
      meta = undefined;
    }
    if (meta && meta.bundledVersion === bundled.version) {
      await this.publishIndexIfStale(meta);
      return meta;
    }
    if (!meta && (await this.db.meta.count().catch(() => -1)) !== 0) {
      await this.rebuild('The stored dataset was incomplete.');
    } else if (!meta && (await this.loadedBefore())) {
      await addNotice("The extension's database was missing (deleted or cleared). Counterpoint reloaded its bundled dataset; your settings were kept.");
    }
    const loaded = await replaceDataset(this.db, bundled, 'bundled', bundled.version);
    await this.publishIndexIfStale(loaded);
    return loaded;
  }

  /** A term index was published before, so an empty database means data was lost, not a first install. */
  private async loadedBefore(): Promise<boolean> {
    const stored = await browser.storage.local.get(TERM_INDEX_KEY).catch(() => ({}) as Record<string, unknown>);
    return (stored as Record<string, unknown>)[TERM_INDEX_KEY] !== undefined;
  }

  /**
   * Reads with a second chance: when a read fails or finds what the metadata
   * says cannot be (a topic without cards), the database was changed under us
   * (deleted, cleared, half-written). Check it again, repair, and read once more.
   */
  private async read<T>(run: (meta: MetaRow) => Promise<T>, plausible: (value: T) => boolean): Promise<T> {
    try {
      const value = await run(await this.ensureReady());
      if (plausible(value) || (await checkIntegrity(this.db).catch(() => undefined))) return value;
    } catch {
      /* fall through to the re-check */
    }
    this.ready = undefined;
    if (!this.db.isOpen()) await this.db.open().catch(() => undefined);
    return run(await this.ensureReady());
  }

  /** Deletes a broken database and records a notice for the settings page. */
  private async rebuild(reason: string): Promise<void> {
    this.db.close();
    await CounterpointDb.delete(this.dbName).catch(() => undefined);
    this.db = new CounterpointDb(this.dbName);
    await this.db.open();
    await addNotice(`${reason} Counterpoint reloaded its bundled dataset; your settings were kept.`);
  }

  async info(): Promise<DatasetInfo> {
    const { meta, cards } = await this.read(
      async (meta) => ({ meta, cards: await this.db.cards.toArray() }),
      (r) => r.cards.length === r.meta.counts.cards,
    );
    return {
      version: meta.version,
      reviewed: meta.reviewed,
      origin: meta.origin,
      topics: meta.counts.topics,
      cards: meta.counts.cards,
      sources: meta.counts.sources,
      facts: cards.reduce((n, c) => n + c.facts.length, 0),
      viewpoints: cards.reduce((n, c) => n + c.viewpoints.length, 0),
      loadedAt: meta.loadedAt,
      coverage: coverageOf(cards),
    };
  }

  async cardsFor(topicId: string): Promise<CardView[]> {
    return this.read(
      async (meta) => {
        const cards = inOrder(await this.db.cards.where('topicId').equals(topicId).toArray(), meta.cardOrder);
        const sourceIds = new Set(cards.flatMap((c) => [...c.facts, ...c.viewpoints].flatMap((x) => x.sourceIds)));
        const sources = await this.db.sources.bulkGet([...sourceIds]);
        const byId = Object.fromEntries(sources.filter((s) => s !== undefined).map((s) => [s.id, s]));
        return { cards: cards.map((card) => ({ ...card, sources: byId, reviewed: meta.reviewed })), sources: sources.every(Boolean) };
      },
      (r) => r.cards.length > 0 && r.sources,
    ).then((r) => r.cards);
  }

  /**
   * Validates first (shape, references and limits); an invalid file changes
   * nothing. Then the term index is published before the data is written, and
   * put back if writing fails, so that a failure at either step leaves the
   * reader with what they had.
   */
  async importText(text: string): Promise<DatasetInfo> {
    const parsed = parseDatasetText(text);
    if (!parsed.ok) {
      throw new DatasetError(
        'This file is not a valid Counterpoint dataset; nothing was changed.',
        parsed.issues.map((i) => `${i.path}: ${i.message}`),
      );
    }
    await this.ensureReady().catch(() => undefined);
    return this.install(parsed.dataset, 'imported');
  }

  /** Back to the bundled dataset. Works whatever state the database or storage is in. */
  async reset(): Promise<DatasetInfo> {
    try {
      await this.ensureReady();
    } catch {
      await this.rebuild('The stored dataset could not be read.');
    }
    return this.install(bundledDataset(), 'bundled');
  }

  private async install(data: Dataset, origin: MetaRow['origin']): Promise<DatasetInfo> {
    const loadedAt = new Date().toISOString();
    const index = buildTermIndex(`${data.version}:${loadedAt}`, data.topics, data.cues);
    // The terms and cue phrases the reader brought, without the forms worked out from them.
    const size = JSON.stringify({ ...index, forms: undefined }).length;
    if (size > DATASET_LIMITS.indexChars) {
      const kb = (n: number) => `${Math.round(n / 1000).toLocaleString('en')} kB`;
      throw new DatasetError('This dataset is too large to use; nothing was changed.', [
        `its terms and cue phrases take ${kb(size)}; at most ${kb(DATASET_LIMITS.indexChars)} fit`,
      ]);
    }
    const previous = (await browser.storage.local.get(TERM_INDEX_KEY).catch(() => ({}) as Record<string, unknown>))[TERM_INDEX_KEY];
    try {
      await browser.storage.local.set({ [TERM_INDEX_KEY]: index });
    } catch (error) {
      throw new DatasetError('The dataset could not be saved; nothing was changed.', [(error as Error).message]);
    }
    let meta: MetaRow;
    try {
      meta = await replaceDataset(this.db, data, origin, bundledDataset().version, loadedAt);
    } catch (error) {
      await browser.storage.local.set({ [TERM_INDEX_KEY]: previous }).catch(() => undefined);
      throw new DatasetError('The dataset could not be saved; nothing was changed.', [(error as Error).message]);
    }
    this.ready = Promise.resolve(meta);
    return this.info();
  }

  async exportText(): Promise<string> {
    await this.ensureReady();
    const data = await readDataset(this.db);
    if (!data) throw new DatasetError('There is no dataset to export.');
    return `${JSON.stringify(data, null, 2)}\n`;
  }

  /** The term index content scripts compile their matcher from. */
  async termIndex(): Promise<TermIndex> {
    await this.ensureReady();
    return this.buildIndex();
  }

  private async publishIndex(): Promise<void> {
    await browser.storage.local.set({ [TERM_INDEX_KEY]: await this.buildIndex() });
  }

  /**
   * Republishes the index when storage lost it or holds another one. Never
   * throws: content scripts can always ask for the index by message, so a
   * storage failure here must not stop the database from being used.
   */
  private async publishIndexIfStale(meta: MetaRow): Promise<void> {
    try {
      const stored = (await browser.storage.local.get(TERM_INDEX_KEY))[TERM_INDEX_KEY] as TermIndex | undefined;
      // Also after an update that changed the matcher's code: the forms it carries were worked out by the old one.
      if (stored?.version !== `${meta.version}:${meta.loadedAt}` || stored.forms?.build !== MATCHER_BUILD) await this.publishIndex();
    } catch (error) {
      console.warn('Counterpoint: could not publish the term index', error);
    }
  }

  /** Built straight from the tables, so it is also usable while `ensureReady` is still settling. */
  private async buildIndex(): Promise<TermIndex> {
    const meta = await this.db.meta.get('dataset');
    if (!meta) throw new DatasetError('No dataset loaded');
    return buildTermIndex(`${meta.version}:${meta.loadedAt}`, inOrder(await this.db.topics.toArray(), meta.topicOrder), meta.cues);
  }
}

export async function addNotice(text: string): Promise<void> {
  const stored = ((await browser.storage.local.get(NOTICES_KEY))[NOTICES_KEY] as string[] | undefined) ?? [];
  await browser.storage.local.set({ [NOTICES_KEY]: [...stored, `${new Date().toISOString().slice(0, 16).replace('T', ' ')}: ${text}`].slice(-5) });
}

/** The first and last of some ISO dates (YYYY, YYYY-MM or YYYY-MM-DD), by the first day each names. */
function span(dates: (string | undefined)[]): [string | null, string | null] {
  const known = dates.filter((d): d is string => !!d && !Number.isNaN(dateTime(d))).sort((a, b) => dateTime(a) - dateTime(b));
  return [known[0] ?? null, known[known.length - 1] ?? null];
}

function coverageOf(cards: readonly Card[]): DatasetInfo['coverage'] {
  const [firstFact, lastFact] = span(cards.flatMap((c) => c.facts.map((f) => f.date)));
  const [asOfOldest, asOfNewest] = span(cards.map((c) => (c as { asOf?: string }).asOf));
  return { firstFact, lastFact, asOfOldest, asOfNewest };
}
