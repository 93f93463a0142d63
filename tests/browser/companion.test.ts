/**
 * The reading companion against failing calls: the background's answers
 * (the topics, a topic's cards) may fail once, as they do while an event page
 * starts or the database is rebuilt, and the panel must still come to show its
 * card. Messaging and the extension API are stand-ins; the view is the real one.
 */
import { h, render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CardView, PageFindings } from '../../lib/protocol';
import { data, index } from './helpers';

const calls: string[] = [];
const failFirst = new Set<string>();
const answer = (type: string, value: unknown) => {
  calls.push(type);
  if (failFirst.delete(type)) return Promise.resolve({ ok: false, error: 'Could not establish connection. Receiving end does not exist.' });
  return Promise.resolve({ ok: true, value });
};

const topicId = data.topics[0]!.id;
const cardViews: CardView[] = data.cards
  .filter((c) => c.topicId === topicId)
  .map((c) => ({ ...c, sources: Object.fromEntries(data.sources.map((s) => [s.id, s])), reviewed: data.reviewed }));
const findings: PageFindings = {
  state: 'done',
  url: 'https://news.example/article',
  total: 1,
  byTopic: { [topicId]: 1 },
  findings: [{ index: 0, topicId, text: 'DeepSeek', sentence: 'DeepSeek said it trained the model for less than $6 million.' }],
  capped: false,
  reading: 0,
};

vi.mock('@/lib/messaging', () => ({
  pageCall: (type: string) => answer(type, type === 'getIndex' ? index : type === 'getCards' ? cardViews : null),
  tabCall: (_tab: number, type: string) => answer(type, type === 'getFindings' ? findings : null),
}));
vi.mock('wxt/browser', () => {
  const event = { addListener: () => undefined, removeListener: () => undefined, hasListener: () => false };
  return {
    browser: {
      i18n: { getMessage: () => '', getUILanguage: () => 'en' },
      tabs: { query: async () => [], onActivated: event, onUpdated: event },
      storage: { local: { get: async () => ({}), set: async () => undefined }, sync: { get: async () => ({}), set: async () => undefined }, onChanged: event },
      runtime: { lastError: undefined },
    },
  };
});

const { Companion } = await import('../../components/Companion');

afterEach(() => {
  render(null, document.body);
  calls.length = 0;
  failFirst.clear();
});

const cardShown = () => !!document.querySelector('.card-frame')?.shadowRoot?.querySelector('.cp-card');

describe('the companion', () => {
  it('shows the card at the reader’s place when every call answers', async () => {
    render(h(Companion, { tabParam: 7 }), document.body);
    await vi.waitFor(() => expect(cardShown()).toBe(true), { timeout: 3000 });
    expect(document.querySelectorAll('.mentions li')).toHaveLength(1);
  });

  it.each(['getIndex', 'getCards'])('asks again when %s fails once, and then shows the card', async (type) => {
    failFirst.add(type);
    render(h(Companion, { tabParam: 7 }), document.body);
    await vi.waitFor(() => expect(document.querySelectorAll('.mentions li')).toHaveLength(1), { timeout: 3000 });
    await vi.waitFor(() => expect(cardShown()).toBe(true), { timeout: 4000 });
    expect(calls.filter((c) => c === type).length).toBe(2);
  });
});
