/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser),
 * with the flags this kind of machine needs: no sandbox as root, and no
 * background networking, which a closed network refuses many times a start.
 */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
