import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

/**
 * A hash of the matcher's code (lib/matcher/build.ts): term forms the
 * background publishes are used only by content scripts of the same code.
 * From the files themselves, so a rebuild from the sources zip is the same.
 */
const matcherDir = new URL('./lib/matcher/', import.meta.url);
const matcherBuild = createHash('sha256')
  .update(
    readdirSync(matcherDir)
      .sort()
      .map((file) => `${file}\0${readFileSync(new URL(file, matcherDir), 'utf8')}`)
      .join('\0'),
  )
  .digest('hex')
  .slice(0, 16);

/**
 * One source tree, two MV3 builds: Chromium (service-worker background) and
 * Firefox (event-page background, which WXT emits as `background.scripts`).
 */
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  // Every import is written out. Auto-imports put each export of components/
  // in scope everywhere, where a component named like a DOM global (a
  // `Document` view) silently replaced that global in the content script.
  imports: false,
  // `npm run zip` also writes the sources zip that AMO review asks for: the
  // code and lock that rebuild the Firefox build exactly, without test and
  // benchmark output or screenshots.
  zip: {
    excludeSources: ['test-output/**', 'bench-output/**', 'demo-output/**', 'docs/screenshots/**', 'docs/store/**', '.ci/**'],
  },
  manifestVersion: 3,
  hooks: {
    // Terser for the scripts pages evaluate (content, frame, sheet and card):
    // the content script comes out 1.2 kB smaller gzipped than with esbuild
    // (24.1 kB against 25.3). The background and the extension's own pages
    // load once, not in every frame, and are most of terser's time, so they
    // keep esbuild's faster minify.
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.every((entry) => entry.type === 'content-script' || entry.type === 'unlisted-script')) return;
      config.build = { ...config.build, minify: 'terser', terserOptions: { compress: { passes: 3 }, format: { comments: false } } };
      // The content script calls the browser's own extension API, which
      // returns promises in every browser we support (Chromium MV3, Firefox),
      // instead of webextension-polyfill's wrapper of it: the polyfill was
      // 2.5 kB of its 25.6 kB gzipped, paid in every frame with text, and
      // its wrappers were built as each page started. Its one listener
      // answers through `sendResponse` (lib/messaging.ts, `tabReceiver`),
      // which both APIs take. The background, the extension's pages and
      // the card keep the polyfill.
      if (entrypoints.every((entry) => entry.type === 'content-script')) {
        const alias = config.resolve?.alias ?? [];
        const aliases = Array.isArray(alias) ? alias : Object.entries(alias).map(([find, replacement]) => ({ find, replacement }));
        // Its imports of './sheet' read the code sheet.js shares instead of carrying a copy
        // (entrypoints/content/shared-sheet.ts): 1.5 kB less gzipped in every frame that runs both.
        const sharedSheet = fileURLToPath(new URL('./entrypoints/content/shared-sheet.ts', import.meta.url));
        config.resolve = {
          ...config.resolve,
          alias: [{ find: /^wxt\/browser$/, replacement: '@wxt-dev/browser' }, { find: /^\.\/sheet$/, replacement: sharedSheet }, ...aliases],
        };
      }
    },
  },
  vite: () => ({
    plugins: [preact()],
    define: { __MATCHER_BUILD__: JSON.stringify(matcherBuild) },
    build: {
      // Minified: every frame of every page evaluates the content script, so
      // its size is paid everywhere. Store review gets the sources zip
      // (npm run zip), which rebuilds these files exactly. The scripts that
      // run in pages are minified by terser (the hook above); the rest by
      // esbuild.
      minify: 'esbuild',
      // Vite's preload polyfill fetches modules by URL; every browser we
      // support preloads natively, and no bundle of ours calls fetch at all.
      modulePreload: { polyfill: false },
    },
  }),
  manifest: ({ browser, mode }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // storage: settings (sync) and the published term index (local).
    // activeTab: the popup may read the URL of the tab it was opened on, to tell
    // a browser page (where no extension runs) from a tab that needs a reload.
    // scripting: the card's code is added to a frame only when a card first
    // opens there (entrypoints/card), and the content script to a frame below
    // the top once it holds text (entrypoints/frame.ts); neither is evaluated
    // in every frame.
    permissions: ['storage', 'activeTab', 'scripting'],
    // The highlight stylesheet, in the top document before the page has
    // elements (entrypoints/sheet.ts); and in every frame below the top, a
    // small script that asks for the content script proper once the frame
    // holds text (entrypoints/frame.ts). The content script proper, for the
    // top frame, is declared by entrypoints/content.
    content_scripts: [
      { matches: ['<all_urls>'], run_at: 'document_start', js: ['sheet.js'] },
      { matches: ['<all_urls>'], run_at: 'document_idle', all_frames: true, match_about_blank: true, js: ['frame.js'] },
    ],
    action: {
      default_title: '__MSG_actionTitle__',
    },
    commands: {
      'next-mention': {
        suggested_key: { default: 'Alt+Shift+N' },
        description: '__MSG_commandNext__',
      },
      'previous-mention': {
        suggested_key: { default: 'Alt+Shift+P' },
        description: '__MSG_commandPrevious__',
      },
      // The reading companion: Firefox opens its sidebar itself on this
      // command; Chromium's side panel is opened by the background.
      [browser === 'firefox' ? '_execute_sidebar_action' : 'open-companion']: {
        suggested_key: { default: 'Alt+Shift+C' },
        description: '__MSG_commandCompanion__',
      },
    },
    // The end-to-end build only: Firefox's remote protocol cannot navigate a tab
    // to an extension page, so the tests reach the popup and settings pages by
    // navigating from the loopback test server. Release builds expose nothing.
    ...(mode === 'e2e'
      ? { web_accessible_resources: [{ resources: ['popup.html', 'options.html', 'sidepanel.html', 'privacy.html'], matches: ['http://127.0.0.1/*'] }] }
      : {}),
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'counterpoint@counterpoint.example',
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {
          minimum_chrome_version: '121',
          // Chromium lets scripting.executeScript add the card's code (and
          // the content script, to a frame with text) only to hosts the
          // manifest names (content-script matches do not count); the
          // content script already runs on all sites, and Chrome shows the
          // same single warning for both. Firefox needs no such entry.
          host_permissions: ['<all_urls>'],
        }),
  }),
});
