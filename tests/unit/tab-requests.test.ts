/** What a content script accepts from the background and the popup, checked without a schema library, and how it answers. */
import { describe, expect, it } from 'vitest';
import { tabReceiver } from '../../lib/messaging';
import { parseTabRequest } from '../../lib/tab-requests';

describe('parseTabRequest', () => {
  it('accepts the three calls with their fields', () => {
    expect(parseTabRequest({ type: 'getFindings' })).toEqual({ ok: true, type: 'getFindings', req: {} });
    expect(parseTabRequest({ type: 'revealMention', index: 0 })).toEqual({ ok: true, type: 'revealMention', req: { index: 0 } });
    expect(parseTabRequest({ type: 'revealMention', index: 1e9 })).toMatchObject({ ok: true });
    expect(parseTabRequest({ type: 'stepMention', direction: -1 })).toEqual({ ok: true, type: 'stepMention', req: { direction: -1 } });
  });

  it('leaves alone what is not one of its calls (another part of the extension may answer it)', () => {
    for (const message of [
      null,
      undefined,
      'getFindings',
      7,
      [],
      [{ type: 'getFindings' }],
      {},
      { type: 3 },
      { type: 'getCards', topicId: 'x' },
      { type: 'toString' },
      { type: '__proto__' },
    ]) {
      const parsed = parseTabRequest(message);
      expect(parsed.ok, JSON.stringify(message)).toBe(false);
      expect(parsed.ok || parsed.known, JSON.stringify(message)).toBe(false);
    }
  });

  it('refuses one of its calls with fields of the wrong shape, and says which', () => {
    const bad: [unknown, RegExp][] = [
      [{ type: 'getFindings', extra: 1 }, /getFindings.*extra/],
      [{ type: 'revealMention' }, /index/],
      [{ type: 'revealMention', index: -1 }, /index/],
      [{ type: 'revealMention', index: 1.5 }, /index/],
      [{ type: 'revealMention', index: '3' }, /index/],
      [{ type: 'revealMention', index: 1e9 + 1 }, /index/],
      [{ type: 'revealMention', index: Number.NaN }, /index/],
      [{ type: 'revealMention', index: 2, also: true }, /also/],
      [{ type: 'stepMention', direction: 0 }, /direction/],
      [{ type: 'stepMention', direction: '1' }, /direction/],
      [{ type: 'stepMention' }, /direction/],
    ];
    for (const [message, why] of bad) {
      const parsed = parseTabRequest(message);
      expect(parsed, JSON.stringify(message)).toMatchObject({ ok: false, known: true });
      expect(parsed.ok ? '' : parsed.error, JSON.stringify(message)).toMatch(why);
    }
  });
});

describe('tabReceiver', () => {
  /** Calls the listener as the browser would, and records what it answered. */
  const deliver = (receiver: ReturnType<typeof tabReceiver>, message: unknown) => {
    const replies: unknown[] = [];
    const returned = receiver(message, {}, (reply) => replies.push(reply));
    return { returned, replies };
  };

  it('answers its calls at once through sendResponse, and returns nothing (no channel held open)', () => {
    const steps: number[] = [];
    const receiver = tabReceiver({
      stepMention: ({ direction }) => {
        steps.push(direction);
        return null;
      },
    });
    expect(deliver(receiver, { type: 'stepMention', direction: -1 })).toEqual({ returned: undefined, replies: [{ ok: true, value: null }] });
    expect(steps).toEqual([-1]);
  });

  it('answers a handler that throws with its error', () => {
    const receiver = tabReceiver({
      revealMention: () => {
        throw new Error('no such mention');
      },
    });
    expect(deliver(receiver, { type: 'revealMention', index: 3 }).replies).toEqual([{ ok: false, error: 'no such mention' }]);
  });

  it('refuses one of its calls with bad fields, and leaves unknown messages and calls without a handler to others', () => {
    const receiver = tabReceiver({ getFindings: () => ({}) as never });
    expect(deliver(receiver, { type: 'revealMention', index: -1 }).replies).toEqual([{ ok: false, error: expect.stringMatching(/index/) }]);
    expect(deliver(receiver, { type: 'getCards', topicId: 'x' }).replies).toEqual([]);
    expect(deliver(receiver, { type: 'stepMention', direction: 1 }).replies).toEqual([]);
  });
});
