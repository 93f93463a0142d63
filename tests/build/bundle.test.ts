/**
 * Checks on what ships: the database stays in the background, the manifests
 * ask for no more than they need, and nothing in any bundle names a remote host.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const builds = ['.output/chrome-mv3', '.output/firefox-mv3'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

describe.each(builds)('%s', (dir) => {
  it('exists', () => {
    expect(existsSync(join(dir, 'manifest.json')), `run the build first (${dir})`).toBe(true);
  });

  it('keeps Dexie out of the content script and in the background', () => {
    const content = readFileSync(join(dir, 'content-scripts/content.js'), 'utf8');
    expect(content.toLowerCase()).not.toContain('dexie');
    expect(content).not.toContain('indexedDB');
    const background = readFileSync(join(dir, 'background.js'), 'utf8');
    expect(background.toLowerCase()).toContain('dexie');
  });

  it('ships no test hooks: a closed shadow root, no probe, no test marker, no benchmark mark, no web-accessible pages', () => {
    const content = readFileSync(join(dir, 'content-scripts/content.js'), 'utf8');
    const card = readFileSync(join(dir, 'card.js'), 'utf8');
    for (const script of [content, card]) {
      expect(script).not.toContain('counterpoint-e2e');
      expect(script).not.toContain('data-counterpoint-test');
    }
    expect(card).toMatch(/mode:\s*"closed"/);
    expect(card).not.toMatch(/mode:\s*"open"/);
    for (const file of files(dir).filter((f) => f.endsWith('.js'))) expect(readFileSync(file, 'utf8'), file).not.toContain('counterpoint:first-content');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.web_accessible_resources ?? []).toEqual([]);
  });

  it('names nothing a page could use to find us: no fixed highlight names or card tag, no stylesheet injected by the manifest', () => {
    const content = readFileSync(join(dir, 'content-scripts/content.js'), 'utf8');
    expect(content).not.toMatch(/counterpoint-(popover|t\d|flash)/);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    for (const cs of manifest.content_scripts) expect(cs.css ?? []).toEqual([]);
  });

  it('asks only for the storage, activeTab and scripting permissions (and sidePanel in Chromium, for the companion)', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.permissions).toEqual(['storage', 'activeTab', 'scripting', ...(dir.includes('chrome') ? ['sidePanel'] : [])]);
    // The companion: Chromium's side panel, Firefox's sidebar.
    if (dir.includes('chrome')) expect(manifest.side_panel.default_path).toBe('sidepanel.html');
    else expect(manifest.sidebar_action.default_panel).toBe('sidepanel.html');
    // Chromium only: the hosts the content script already covers, so the card's code can be added on demand.
    expect(manifest.host_permissions ?? []).toEqual(dir.includes('chrome') ? ['<all_urls>'] : []);
    expect(manifest.content_security_policy.extension_pages).toContain("script-src 'self'");
    // The content script proper: the top frame only. Every frame below it runs the small frame.js, which asks for it once it has text.
    const cs = manifest.content_scripts.find((c: { js: string[] }) => c.js.includes('content-scripts/content.js'));
    expect(cs.all_frames).toBeUndefined();
    const frames = manifest.content_scripts.find((c: { js: string[] }) => c.js.includes('frame.js'));
    expect(frames).toEqual({ matches: ['<all_urls>'], run_at: 'document_idle', all_frames: true, match_about_blank: true, js: ['frame.js'] });
  });

  it('gives every frame below the top a script of about a kilobyte, with no extension API wrapper and no scanner', () => {
    const frame = readFileSync(join(dir, 'frame.js'));
    expect(gzipSync(frame, { level: 9 }).length).toBeLessThan(1536);
    const text = frame.toString('utf8');
    expect(text).toContain('loadApp');
    // The scanner and the messaging of the content script proper stay out (each is in content.js).
    const content = readFileSync(join(dir, 'content-scripts/content.js'), 'utf8');
    for (const marker of ['StaticRange', 'getFindings', 'reportFindings']) {
      expect(content, marker).toContain(marker);
      expect(text, marker).not.toContain(marker);
    }
    expect(text).not.toContain('Expected at least');
  });

  it('keeps the card and the extension API wrapper out of the content script proper: under 25 kB gzipped with frame.js and sheet.js', () => {
    const content = readFileSync(join(dir, 'content-scripts/content.js'));
    const text = content.toString('utf8');
    const card = readFileSync(join(dir, 'card.js'), 'utf8');
    // The Card view (its strings) and its placement live in card.js only.
    for (const marker of ['cardClose', 'cardMuteSite', 'bottom-start']) {
      expect(text, marker).not.toContain(marker);
      expect(card, marker).toContain(marker);
    }
    // webextension-polyfill (its argument checks) is in the card, not in the content script, which calls the browser's own API.
    expect(card).toContain('Expected at least');
    expect(text).not.toContain('Expected at least');
    // Every frame that runs it (the top, and a frame below it with text) evaluates frame.js, sheet.js and this.
    const frame = readFileSync(join(dir, 'frame.js'));
    const sheet = readFileSync(join(dir, 'sheet.js'));
    const gzipped = (b: Buffer) => gzipSync(b, { level: 9 }).length;
    expect(gzipped(content) + gzipped(frame) + gzipped(sheet)).toBeLessThan(25 * 1024);
    // The sheet's code (its rules, and the hash behind its names) comes from sheet.js, which every such frame runs first.
    for (const marker of ['text-underline-offset', 'Math.cbrt']) {
      expect(sheet.toString('utf8'), marker).toContain(marker);
      expect(text, marker).not.toContain(marker);
    }
    expect(text).toContain('__counterpointSheet');
    expect(sheet.toString('utf8')).toContain('__counterpointSheet');
  });

  it('puts only the highlight stylesheet in at document_start: top frame only, a few kB, no extension API wrapper', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const early = manifest.content_scripts.filter((c: { run_at?: string }) => c.run_at === 'document_start');
    expect(early).toEqual([{ matches: ['<all_urls>'], run_at: 'document_start', js: ['sheet.js'] }]);
    const sheet = readFileSync(join(dir, 'sheet.js'));
    expect(gzipSync(sheet, { level: 9 }).length).toBeLessThan(4 * 1024);
    const text = sheet.toString('utf8');
    expect(text).toContain('adoptedStyleSheets');
    // Neither the webextension-polyfill nor WXT's script context, nor the scanner.
    for (const marker of ['This script should only be loaded in a browser extension', 'wxt:content-script-started', 'MutationObserver'])
      expect(text, marker).not.toContain(marker);
  });

  it('contains no remote URL that code could fetch', () => {
    for (const file of files(dir).filter((f) => f.endsWith('.js') || f.endsWith('.html'))) {
      const text = readFileSync(file, 'utf8');
      // Links in the dataset are rendered as <a href>, never fetched; no network API is called anywhere.
      expect(text, file).not.toMatch(/\bfetch\(|XMLHttpRequest|sendBeacon|WebSocket|EventSource/);
    }
  });
});

describe('Firefox manifest', () => {
  it('declares an id, MV3 event page and no data collection', () => {
    const manifest = JSON.parse(readFileSync('.output/firefox-mv3/manifest.json', 'utf8'));
    expect(manifest.browser_specific_settings.gecko.id).toMatch(/@/);
    expect(manifest.browser_specific_settings.gecko.data_collection_permissions).toEqual({ required: ['none'] });
    expect(manifest.background.scripts).toEqual(['background.js']);
    expect(manifest.background.service_worker).toBeUndefined();
  });
});
