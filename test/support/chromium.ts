// Headless Chromium from Debian's `chromium` package (playwright-core drives it; no browser download). `.ci/run`
// installs it and sets KC_REQUIRE_CHROMIUM; a developer machine without it skips the browser tests — except under CI,
// where a
// missing browser is a failure, so the dashboard is never passed unseen.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.KC_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const MUST_HAVE_CHROMIUM = Boolean(process.env.CI || process.env.KC_REQUIRE_CHROMIUM);

/** As the machine notes say: no sandbox as root, and none of Chromium's own background connections. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--font-render-hinting=none',
    ],
  });
}

/** What a page did that a user would not see: console errors and warnings, uncaught exceptions, dialogs, requests. */
export function watchPage(page: Page): { problems: string[]; requests: string[] } {
  const seen = { problems: [] as string[], requests: [] as string[] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') seen.problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => seen.problems.push(`uncaught: ${e.message}`));
  page.on('dialog', (d) => {
    seen.problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => seen.requests.push(r.url()));
  return seen;
}
