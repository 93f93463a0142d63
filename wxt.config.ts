import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

/**
 * One source tree, two MV3 builds: Chromium (service-worker background) and
 * Firefox (event-page background, which WXT emits as `background.scripts`).
 */
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  manifestVersion: 3,
  vite: () => ({
    plugins: [preact()],
    build: {
      // Keep bundles readable in review and in the store's source check.
      minify: false,
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
    permissions: ['storage', 'activeTab'],
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
    },
    // The end-to-end build only: Firefox's remote protocol cannot navigate a tab
    // to an extension page, so the tests reach the popup and settings pages by
    // navigating from the loopback test server. Release builds expose nothing.
    ...(mode === 'e2e' ? { web_accessible_resources: [{ resources: ['popup.html', 'options.html'], matches: ['http://127.0.0.1/*'] }] } : {}),
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
      : { minimum_chrome_version: '121' }),
  }),
});
