import { existsSync } from 'node:fs';
import { describe } from 'vitest';

/**
 * Where the browser tests find Chromium, and what they do when there is none.
 *
 * CI installs Debian's chromium (.ci/run) and must run these tests, so there a missing browser is an
 * error. On a developer machine with only Node and npm, the browser suites are skipped with a hint
 * instead, so `npm test` still works from a fresh clone.
 */
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const chromiumPath: string | undefined = CANDIDATES.find((p): p is string => !!p && existsSync(p));

if (!chromiumPath) {
  if (process.env.CI === 'true') {
    throw new Error('Chromium not found: CI must run the browser tests. Install it (apt-get install chromium) or set CHROMIUM_PATH.');
  }
  console.warn('Browser tests skipped: Chromium not found. Install it (e.g. apt-get install chromium) or set CHROMIUM_PATH.');
}

/** `describe` when a browser is available, `describe.skip` otherwise. */
export const describeWithBrowser = chromiumPath ? describe : describe.skip;

/** Headless flags for this machine: no background networking (the network is closed), no sandbox as root. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];
