import { describe, expect, it } from 'vitest';
import {
  DEFAULTS,
  SETTINGS_VERSION,
  VERSION_KEY,
  checkHoverDelay,
  enabledTopics,
  isSiteOff,
  migrate,
  normalizeSite,
  planSave,
  readSettings,
} from '../../lib/settings';

describe('readSettings', () => {
  it('returns the defaults for empty storage', () => {
    expect(readSettings({})).toEqual(DEFAULTS);
  });

  it('keeps valid stored values and drops invalid ones', () => {
    const s = readSettings({ enabled: false, topicsOff: ['deepseek'], hoverDelayMs: 'fast', topicStyles: { deepseek: 'background', x: 'neon' } });
    expect(s.enabled).toBe(false);
    expect(s.topicsOff).toEqual(['deepseek']);
    expect(s.hoverDelayMs).toBe(DEFAULTS.hoverDelayMs);
    expect(s.topicStyles).toEqual({ deepseek: 'background' });
  });

  it('clamps the hover delay', () => {
    expect(readSettings({ hoverDelayMs: 5 }).hoverDelayMs).toBe(100);
    expect(readSettings({ hoverDelayMs: 99999 }).hoverDelayMs).toBe(2000);
  });

  it('reads the old solid underline as the dotted default (a solid underline reads as a link)', () => {
    expect(readSettings({ topicStyles: { deepseek: 'underline', distillation: 'dotted', x: 'background' } }).topicStyles).toEqual({ x: 'background' });
  });

  it('marks first mentions by default, every mention when asked', () => {
    expect(readSettings({}).markEvery).toBe(false);
    expect(readSettings({ markEvery: true }).markEvery).toBe(true);
    expect(readSettings({ markEvery: 'yes' }).markEvery).toBe(false);
  });
});

describe('checkHoverDelay', () => {
  it('says when a typed delay was saved at a bound, rounded, or not saved', () => {
    expect(checkHoverDelay('5')).toEqual({ ok: true, value: 100, adjusted: 'low' });
    expect(checkHoverDelay('-40')).toEqual({ ok: true, value: 100, adjusted: 'low' });
    expect(checkHoverDelay('9000')).toEqual({ ok: true, value: 2000, adjusted: 'high' });
    expect(checkHoverDelay('450.6')).toEqual({ ok: true, value: 451, adjusted: 'rounded' });
    expect(checkHoverDelay(' 700 ')).toEqual({ ok: true, value: 700, adjusted: null });
    expect(checkHoverDelay('')).toEqual({ ok: false, reason: 'not-a-number' });
    expect(checkHoverDelay('fast')).toEqual({ ok: false, reason: 'not-a-number' });
    expect(checkHoverDelay('Infinity')).toEqual({ ok: false, reason: 'not-a-number' });
  });
});

describe('planSave', () => {
  it('stores only values that differ from the defaults', () => {
    expect(planSave({ hoverDelayMs: 600, enabled: true })).toEqual({ set: { hoverDelayMs: 600, [VERSION_KEY]: SETTINGS_VERSION }, remove: ['enabled'] });
  });

  it('removes a key that went back to its default', () => {
    expect(planSave({ topicsOff: [] })).toEqual({ set: {}, remove: ['topicsOff'] });
  });
});

describe('migrate', () => {
  it('moves v1 hoverDelay (seconds) to hoverDelayMs', () => {
    const { raw, changed } = migrate({ hoverDelay: 0.5, topicsOff: ['x'] });
    expect(changed).toBe(true);
    expect(raw).toEqual({ hoverDelayMs: 500, topicsOff: ['x'], [VERSION_KEY]: SETTINGS_VERSION });
  });

  it('leaves current settings alone', () => {
    const current = { hoverDelayMs: 700, [VERSION_KEY]: SETTINGS_VERSION };
    expect(migrate(current)).toEqual({ raw: current, changed: false });
  });

  it('reads an empty store as current and leaves it empty; the first save stamps the version', () => {
    expect(migrate({})).toEqual({ raw: { [VERSION_KEY]: SETTINGS_VERSION }, changed: false });
    expect(planSave({ topicsOff: ['x'] }).set[VERSION_KEY]).toBe(SETTINGS_VERSION);
  });

  it('stamps stored settings that carry no version', () => {
    expect(migrate({ hoverDelayMs: 700, [VERSION_KEY]: 1 })).toEqual({ raw: { hoverDelayMs: 700, [VERSION_KEY]: SETTINGS_VERSION }, changed: true });
  });
});

describe('sites', () => {
  it('normalizes URLs and hostnames', () => {
    expect(normalizeSite('https://www.Example.com/path?q=1')).toBe('example.com');
    expect(normalizeSite('news.example.co.uk')).toBe('news.example.co.uk');
    expect(normalizeSite('127.0.0.1:8080')).toBe('127.0.0.1');
    expect(normalizeSite('not a site!')).toBe('');
    expect(normalizeSite('javascript:alert(1)')).toBe('');
  });

  it('turns a site off with its subdomains, not look-alike domains', () => {
    const settings = { sitesOff: ['example.com'] };
    expect(isSiteOff(settings, 'example.com')).toBe(true);
    expect(isSiteOff(settings, 'www.example.com')).toBe(true);
    expect(isSiteOff(settings, 'news.example.com')).toBe(true);
    expect(isSiteOff(settings, 'notexample.com')).toBe(false);
  });

  it('computes enabled topics', () => {
    expect([...enabledTopics({ topicsOff: ['b'] }, ['a', 'b', 'c'])]).toEqual(['a', 'c']);
  });
});
