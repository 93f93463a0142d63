/**
 * How every script and test starts Debian's Chromium: headless-safe flags that
 * keep the browser off the network, and the flags that load an unpacked build.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-gpu',
];

export const loadExtension = (dir: string): string[] => [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`];
