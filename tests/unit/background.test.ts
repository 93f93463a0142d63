/**
 * The background's data layer and message routing, against fake-indexeddb
 * and WXT's fake browser.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { browser } from 'wxt/browser';
import bundled from '../../lib/dataset/dataset.json';
import { CounterpointDb } from '../../entrypoints/background/db';
import { DatasetService, NOTICES_KEY } from '../../entrypoints/background/dataset-service';
import { TERM_INDEX_KEY as INDEX_KEY } from '../../lib/protocol';
import { DATASET_LIMITS } from '../../lib/dataset/schema';
import { createHandlers, route } from '../../entrypoints/background/handlers';

let n = 0;
const freshName = () => `counterpoint-test-${++n}`;

beforeEach(() => {
  fakeBrowser.reset();
});

describe('DatasetService', () => {
  it('loads the bundled dataset on first use and publishes the term index', async () => {
    const service = new DatasetService(freshName());
    const info = await service.info();
    expect(info.version).toBe(bundled.version);
    expect(info.cards).toBe(bundled.cards.length);
    expect(info.origin).toBe('bundled');
    const stored = (await browser.storage.local.get(INDEX_KEY))[INDEX_KEY] as { topics: { id: string }[] };
    expect(stored.topics.map((t) => t.id)).toEqual(bundled.topics.map((t) => t.id));
    // A first install is not a loss: no notice.
    expect((await browser.storage.local.get(NOTICES_KEY))[NOTICES_KEY]).toBeUndefined();
  });

  it("returns a topic's cards in dataset order with their sources resolved", async () => {
    const service = new DatasetService(freshName());
    const topicId = bundled.topics[0]!.id;
    const cards = await service.cardsFor(topicId);
    expect(cards.map((c) => c.id)).toEqual(bundled.cards.filter((c) => c.topicId === topicId).map((c) => c.id));
    for (const card of cards) {
      for (const id of card.facts.flatMap((f) => f.sourceIds)) expect(card.sources[id]?.id).toBe(id);
    }
  });

  it('a new service on the same database (a woken background) reopens it without reloading', async () => {
    const name = freshName();
    const first = await new DatasetService(name).info();
    const second = await new DatasetService(name).info();
    expect(second.loadedAt).toBe(first.loadedAt);
  });

  it('rejects an invalid import and keeps the previous data', async () => {
    const service = new DatasetService(freshName());
    const before = await service.info();
    const broken = { ...bundled, cards: [{ ...bundled.cards[0], topicId: 'missing' }] };
    await expect(service.importText(JSON.stringify(broken))).rejects.toThrow(/not a valid Counterpoint dataset/);
    await expect(service.importText('{not json')).rejects.toThrow();
    expect(await service.info()).toEqual(before);
  });

  it('imports a valid file in one go and resets to the bundled one', async () => {
    const service = new DatasetService(freshName());
    const smaller = { ...bundled, version: '2030.01.01', cards: bundled.cards.slice(0, 2) };
    const imported = await service.importText(JSON.stringify(smaller));
    expect(imported).toMatchObject({ version: '2030.01.01', cards: 2, origin: 'imported' });
    const reset = await service.reset();
    expect(reset).toMatchObject({ version: bundled.version, cards: bundled.cards.length, origin: 'bundled' });
  });

  it('refuses a file over the size limit with a clear message, and changes nothing', async () => {
    const service = new DatasetService(freshName());
    const before = await service.info();
    const indexBefore = (await browser.storage.local.get(INDEX_KEY))[INDEX_KEY];
    const padded = JSON.stringify({ ...bundled, padding: 'x'.repeat(DATASET_LIMITS.fileChars) });
    await expect(service.importText(padded)).rejects.toMatchObject({
      message: expect.stringMatching(/nothing was changed/),
      details: [expect.stringMatching(/the file is 5\.\d MB; a dataset can be at most 5\.0 MB/)],
    });
    expect(await service.info()).toEqual(before);
    expect((await browser.storage.local.get(INDEX_KEY))[INDEX_KEY]).toEqual(indexBefore);
  });

  it('names the limit an item breaks', async () => {
    const service = new DatasetService(freshName());
    const long = {
      ...bundled,
      cards: [{ ...bundled.cards[0], summary: 'word '.repeat(10) + 'x'.repeat(DATASET_LIMITS.textChars) }, ...bundled.cards.slice(1)],
    };
    await expect(service.importText(JSON.stringify(long))).rejects.toMatchObject({
      details: [expect.stringMatching(/cards\[0\]\.summary: must be at most 4,000 characters/)],
    });
    const many = { ...bundled, topics: Array.from({ length: DATASET_LIMITS.topics + 1 }, (_, i) => ({ ...bundled.topics[0], id: `t${i}` })) };
    await expect(service.importText(JSON.stringify(many))).rejects.toMatchObject({ details: [expect.stringMatching(/topics: at most 32 topics/)] });
  });

  it('refuses a dataset whose term index would not fit, before anything is written', async () => {
    const service = new DatasetService(freshName());
    const before = await service.info();
    // Within every per-item limit, but 8 topics × 2,000 terms of ~150 characters is a 2.4 MB index.
    const terms = (t: number) => Array.from({ length: 2000 }, (_, i) => ({ text: `t${t}term${i} ${'lorem '.repeat(24)}`.trim() }));
    const topics = Array.from({ length: 8 }, (_, t) => ({
      ...bundled.topics[t % bundled.topics.length]!,
      id: t < 3 ? bundled.topics[t]!.id : `extra-${t}`,
      terms: terms(t),
    }));
    const huge = { ...bundled, topics };
    await expect(service.importText(JSON.stringify(huge))).rejects.toMatchObject({
      message: expect.stringMatching(/too large to use; nothing was changed/),
      details: [expect.stringMatching(/take 2,\d{3} kB; at most 1,000 kB fit/)],
    });
    expect(await service.info()).toEqual(before);
  });

  it('puts the term index back when the database write fails, so a failed import changes nothing', async () => {
    const service = new DatasetService(freshName());
    const before = await service.info();
    const indexBefore = (await browser.storage.local.get(INDEX_KEY))[INDEX_KEY];
    // The write fails halfway through its transaction (a full disk, say): the transaction rolls back.
    const db = (service as unknown as { db: CounterpointDb }).db;
    const spy = vi.spyOn(db.cards, 'bulkAdd').mockRejectedValueOnce(new Error('QuotaExceededError'));
    try {
      await expect(service.importText(JSON.stringify({ ...bundled, version: '2031.01.01' }))).rejects.toMatchObject({
        message: expect.stringMatching(/could not be saved; nothing was changed/),
      });
    } finally {
      spy.mockRestore();
    }
    expect(await service.info()).toEqual(before);
    expect((await browser.storage.local.get(INDEX_KEY))[INDEX_KEY]).toEqual(indexBefore);
  });

  it('refuses an import when storage will not take the index, and still resets when storage keeps failing', async () => {
    const service = new DatasetService(freshName());
    const before = await service.info();
    const set = vi.spyOn(browser.storage.local, 'set').mockRejectedValue(new Error('QUOTA_BYTES quota exceeded'));
    try {
      await expect(service.importText(JSON.stringify({ ...bundled, version: '2031.01.01' }))).rejects.toMatchObject({
        message: expect.stringMatching(/could not be saved; nothing was changed/),
      });
      expect(await service.info()).toEqual(before);
      // A new background instance (the worker woke up) with storage still failing: reads and reset work.
      const woken = new DatasetService((service as unknown as { dbName: string }).dbName);
      expect((await woken.info()).version).toBe(bundled.version);
    } finally {
      set.mockRestore();
    }
    expect(await service.reset()).toMatchObject({ origin: 'bundled', version: bundled.version });
  });

  it('exports what it holds, which imports again unchanged', async () => {
    const service = new DatasetService(freshName());
    const text = await service.exportText();
    expect(JSON.parse(text).cards.map((c: { id: string }) => c.id)).toEqual(bundled.cards.map((c) => c.id));
    await service.importText(text);
    expect(await service.exportText()).toBe(text);
  });

  it('rebuilds a half-written database from the bundled file and says so', async () => {
    const name = freshName();
    await new DatasetService(name).info();
    const db = new CounterpointDb(name);
    await db.cards.clear(); // as if an import had been cut off
    db.close();
    const info = await new DatasetService(name).info();
    expect(info.cards).toBe(bundled.cards.length);
    const notices = (await browser.storage.local.get(NOTICES_KEY))[NOTICES_KEY] as string[];
    expect(notices.join()).toMatch(/incomplete/);
  });

  it('notices a database cleared under a running background on its next read, and repairs it', async () => {
    const name = freshName();
    const service = new DatasetService(name);
    expect((await service.cardsFor('deepseek')).length).toBeGreaterThan(0);
    const db = new CounterpointDb(name);
    await db.cards.clear();
    db.close();
    const cards = await service.cardsFor('deepseek');
    expect(cards.length).toBe(bundled.cards.filter((c) => c.topicId === 'deepseek').length);
    const notices = (await browser.storage.local.get(NOTICES_KEY))[NOTICES_KEY] as string[];
    expect(notices.join()).toMatch(/incomplete/);
  });

  it('says so when the database disappears after data had been loaded', async () => {
    const name = freshName();
    await new DatasetService(name).info();
    await CounterpointDb.delete(name);
    const info = await new DatasetService(name).info();
    expect(info.cards).toBe(bundled.cards.length);
    const notices = (await browser.storage.local.get(NOTICES_KEY))[NOTICES_KEY] as string[];
    expect(notices.join()).toMatch(/missing/);
  });

  it('reloads when the bundled version differs from the stored one', async () => {
    const name = freshName();
    const service = new DatasetService(name);
    await service.importText(JSON.stringify({ ...bundled, version: '2001.01.01', cards: bundled.cards.slice(0, 1) }));
    // Simulate an extension update: the stored bundledVersion is older than the bundled file.
    const db = new CounterpointDb(name);
    await db.meta.update('dataset', { bundledVersion: '2000.01.01' });
    db.close();
    const info = await new DatasetService(name).info();
    expect(info).toMatchObject({ version: bundled.version, origin: 'bundled' });
  });
});

describe('message routing', () => {
  const extPage = () => ({ id: browser.runtime.id, url: browser.runtime.getURL('/options.html') });
  const contentScript = () => ({
    id: browser.runtime.id,
    url: 'https://news.example.com/a',
    tab: { id: 7, url: 'https://news.example.com/a' } as never,
    frameId: 0,
  });

  it('lets a content script read cards', async () => {
    const handlers = createHandlers(new DatasetService(freshName()));
    const reply = await route(handlers, { type: 'getCards', topicId: bundled.topics[0]!.id }, contentScript());
    expect(reply.ok).toBe(true);
  });

  it('refuses writes from a content script', async () => {
    const handlers = createHandlers(new DatasetService(freshName()));
    for (const type of ['importDataset', 'resetDataset', 'exportDataset']) {
      const reply = await route(handlers, { type, text: '{}' }, contentScript());
      expect(reply).toMatchObject({ ok: false });
      if (!reply.ok) expect(reply.error).toMatch(/refused/);
    }
  });

  it('lets an extension page import, and reports validation details', async () => {
    const handlers = createHandlers(new DatasetService(freshName()));
    const reply = await route(handlers, { type: 'importDataset', text: '{"schemaVersion":1}' }, extPage());
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.details?.length).toBeGreaterThan(0);
  });

  it('rejects malformed and unknown messages, and foreign senders', async () => {
    const handlers = createHandlers(new DatasetService(freshName()));
    expect(await route(handlers, null, extPage())).toMatchObject({ ok: false });
    expect(await route(handlers, { type: 'dropTables' }, extPage())).toMatchObject({ ok: false });
    expect(await route(handlers, { type: 'getIndex' }, { id: 'someone-else', url: 'https://evil.example' })).toMatchObject({ ok: false });
  });

  it('"not on this site" takes the site from the sender, never from the message', async () => {
    const handlers = createHandlers(new DatasetService(freshName()));
    // A request naming a site is not a valid request at all.
    expect(await route(handlers, { type: 'muteSite', site: 'victim.example' }, contentScript())).toMatchObject({
      ok: false,
      error: expect.stringMatching(/invalid muteSite/),
    });
    expect((await browser.storage.sync.get('sitesOff')).sitesOff).toBeUndefined();
    const reply = await route(handlers, { type: 'muteSite' }, contentScript());
    expect(reply.ok).toBe(true);
    expect((await browser.storage.sync.get('sitesOff')).sitesOff).toEqual(['news.example.com']);
  });

  it('"not on this site" from a card in an embedded frame mutes that frame\'s site, not the page\'s', async () => {
    const handlers = createHandlers(new DatasetService(freshName()));
    const frame = { ...contentScript(), url: 'https://ads.example.net/slot', origin: 'https://ads.example.net', frameId: 3 };
    expect((await route(handlers, { type: 'muteSite' }, frame)).ok).toBe(true);
    // An about:blank frame inherits its parent's origin.
    const blank = { ...contentScript(), url: 'about:blank', origin: 'https://widgets.example.org', frameId: 4 };
    expect((await route(handlers, { type: 'muteSite' }, blank)).ok).toBe(true);
    expect((await browser.storage.sync.get('sitesOff')).sitesOff).toEqual(['ads.example.net', 'widgets.example.org']);
  });

  it("opens the companion in the browser's panel beside the asking tab, and in a tab that follows it where the panel is refused", async () => {
    const handlers = createHandlers(new DatasetService(freshName()));
    const g = globalThis as { chrome?: unknown };
    const open = vi.fn(async (_options: { windowId?: number }) => undefined);
    const create = vi.spyOn(browser.tabs, 'create').mockResolvedValue({} as never);
    const sender = { ...contentScript(), tab: { id: 7, windowId: 3, index: 2, url: 'https://news.example.com/a' } as never };
    g.chrome = { sidePanel: { open } };
    try {
      expect((await route(handlers, { type: 'openCompanion' }, sender)).ok).toBe(true);
      expect(open).toHaveBeenCalledWith({ windowId: 3 });
      expect(create).not.toHaveBeenCalled();
      open.mockRejectedValueOnce(new Error('sidePanel.open() may only be called in response to a user gesture.'));
      expect((await route(handlers, { type: 'openCompanion' }, sender)).ok).toBe(true);
      expect(create).toHaveBeenCalledWith({ url: browser.runtime.getURL('/sidepanel.html?tab=7'), index: 3 });
    } finally {
      delete g.chrome;
      create.mockRestore();
    }
  });

  it("reports the dataset's reach in time: oldest and newest dated fact, and the range of as-of dates", async () => {
    const info = await new DatasetService(freshName()).info();
    const dates = bundled.cards.flatMap((c) => c.facts.map((f) => f.date).filter((d): d is string => !!d));
    const first = (d: string) => new Date(`${d}${d.length === 4 ? '-01-01' : d.length === 7 ? '-01' : ''}T00:00:00Z`).getTime();
    dates.sort((a, b) => first(a) - first(b));
    expect(info.coverage.firstFact).toBe(dates[0]);
    expect(info.coverage.lastFact).toBe(dates[dates.length - 1]);
    const asOf = bundled.cards.map((c) => (c as { asOf?: string }).asOf!).sort();
    expect(info.coverage.asOfOldest).toBe(asOf[0]);
    expect(info.coverage.asOfNewest).toBe(asOf[asOf.length - 1]);
  });

  it('validates every request against its schema', async () => {
    const handlers = createHandlers(new DatasetService(freshName()));
    expect(await route(handlers, { type: 'getCards', topicId: 42 }, contentScript())).toMatchObject({
      ok: false,
      error: expect.stringMatching(/invalid getCards request: topicId/),
    });
    expect(await route(handlers, { type: 'reportFindings', total: -1 }, contentScript())).toMatchObject({ ok: false });
    expect(await route(handlers, { type: 'muteTopic', topicId: 'x'.repeat(500) }, contentScript())).toMatchObject({ ok: false });
    // Well-formed, but not a topic of the dataset: settings stay as they were.
    expect(await route(handlers, { type: 'muteTopic', topicId: 'not-a-topic' }, contentScript())).toMatchObject({ ok: false });
    expect((await browser.storage.sync.get('topicsOff')).topicsOff).toBeUndefined();
    expect((await route(handlers, { type: 'muteTopic', topicId: bundled.topics[0]!.id }, contentScript())).ok).toBe(true);
  });
});
