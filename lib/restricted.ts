/**
 * Pages where no extension can run content scripts: browser pages, the
 * extension stores, built-in PDF and source viewers. The popup says so
 * instead of offering to reload. Returns an i18n key, or '' when scripts can run.
 */
export function restrictedReason(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'restrictedBrowserPage';
  }
  const { protocol, hostname, pathname } = parsed;
  if (!['http:', 'https:', 'file:'].includes(protocol)) return 'restrictedBrowserPage';
  if (hostname === 'chromewebstore.google.com' || (hostname === 'chrome.google.com' && pathname.startsWith('/webstore'))) return 'restrictedStore';
  if (hostname === 'addons.mozilla.org' || hostname === 'microsoftedge.microsoft.com') return 'restrictedStore';
  if (/\.pdf$/i.test(pathname)) return 'restrictedPdf';
  return '';
}
