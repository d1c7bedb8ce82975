// The HTML dashboard as a person opens it, in headless Chromium: `history --format html` of the 30-night fixture
// and a run's report.html load with no console error, no request beyond the file itself, the matrix and every chart
// drawn with the fixture's data; a screenshot compared with test/screenshots/ keeps the page honest (refresh it with
// UPDATE_SCREENSHOTS=1 after a deliberate change, and look at it). A hostile history cannot run script in the page.
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_CHROMIUM, MUST_HAVE_CHROMIUM, CHROMIUM, launchChromium, watchPage } from './support/chromium.ts';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const FIXTURE = 'fixtures/history/30-nights.jsonl';
const BASELINE = 'test/screenshots/history-30-nights.png';
/**
 * The same page renders to the same pixels here (0 differ run to run); pixelmatch leaves anti-aliasing out. Two
 * added characters in a chart title change 15 pixels, so the budget stays under that.
 */
const MAX_CHANGED_PIXELS = 8;

describe.skipIf(!HAVE_CHROMIUM && !MUST_HAVE_CHROMIUM)('the HTML dashboard in headless Chromium', () => {
  let browser: Browser;
  const dir = tempFolder('kc-dash-');

  beforeAll(async () => {
    if (!HAVE_CHROMIUM)
      throw new Error(
        `no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set KC_CHROMIUM`,
      );
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => browser?.close());

  async function open(file: string): Promise<{ page: Page; seen: ReturnType<typeof watchPage> }> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      timezoneId: 'America/Los_Angeles',
      locale: 'en-US',
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    const seen = watchPage(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-charts]', { timeout: 10_000 });
    return { page, seen };
  }

  /** non-background pixels drawn on a chart's canvas (uPlot draws series and grid there) */
  const inkOn = (page: Page, id: string) =>
    page.$eval(`#${id} canvas`, (canvas) => {
      const c = canvas as HTMLCanvasElement;
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) ink++;
      return ink;
    });

  it('renders the 30-night history: matrix, details, every chart with its 30 runs, the changes', async () => {
    const file = join(dir, 'history.html');
    const r = await runCli(['history', '--history', FIXTURE, '--format', 'html', '--output', file]);
    expect(r.code, r.stderr).toBe(0);
    const { page, seen } = await open(file);
    expect(seen.problems).toEqual([]);
    expect(seen.requests).toEqual([pathToFileURL(file).href]);
    // the whole matrix: 12 checks × 5 providers, the regression marked and linked to its evidence
    expect(await page.$$eval('details table.matrix tbody tr', (rows) => rows.length)).toBe(12);
    expect(await page.$$eval('details table.matrix tbody td[data-status]', (cells) => cells.length)).toBe(60);
    const failing = page
      .locator('table.matrix')
      .first()
      .locator('tr[data-check="defaults.duration"] td[data-status="fail"] a');
    expect(await failing.count()).toBe(1);
    const target = (await failing.getAttribute('href'))!;
    expect(await page.locator(target).innerText()).toContain('default duration is 10 s');
    // every chart drew its series over the 30 nights
    const charts = await page.$$eval('[data-chart]', (els) =>
      els.map((e) => ({
        id: e.id,
        points: (e as HTMLElement).dataset.points,
        series: (e as HTMLElement).dataset.series,
      })),
    );
    expect(charts).toHaveLength(8);
    for (const c of charts) {
      expect(c.points, c.id).toBe('30');
      expect(await inkOn(page, c.id), `${c.id} drew nothing`).toBeGreaterThan(2_000);
    }
    expect(charts.find((c) => c.id === 'chart-pass-rate')!.series).toBe('5');
    // the nights where a check newly failed are marked on the charts
    expect(Number(await page.getAttribute('#chart-pass-rate', 'data-markers'))).toBeGreaterThan(0);
    expect(await page.getAttribute('#chart-pass-rate', 'title')).toMatch(/newly failing/);
    // a status timeline per check: one cell per night, the failing check's red ones among them
    const timeline = page.locator('tr[data-timeline="evolink-kling-v3-t2v · defaults.duration"] .timeline i');
    expect(await timeline.count()).toBe(30);
    expect(
      await timeline.evaluateAll((cells) => cells.filter((c) => c.classList.contains('s-fail')).length),
    ).toBeGreaterThan(0);
    // Chinese text has a font that draws it, and long lines wrap instead of running off the page
    expect(await page.$eval('body', (b) => getComputedStyle(b).fontFamily)).toContain('Noto Sans CJK SC');
    // times shown in UTC whatever the viewer's zone (this context is in Los Angeles)
    // (hover the newest run: the legend names its time — 02:00 UTC, which is the evening before in Los Angeles)
    const over = (await page.locator('#chart-pass-rate .u-over').boundingBox())!;
    await page.mouse.move(over.x + over.width - 1, over.y + over.height / 2);
    expect(await page.locator('#chart-pass-rate .u-legend .u-series').first().innerText()).toMatch(
      /2026-11-25 2:00\s?am/i,
    );
    expect(await page.locator('#chart-pass-rate .u-legend .u-series').nth(3).innerText()).toMatch(
      /evolink-kling-v3-t2v[\s\S]*90\.9 %/,
    );
    expect(await page.locator('ul.steps').innerText()).toContain(
      "night-20 2026-11-15T02:00:00.000Z: price of aimanyi-kling-3.0-turbo's default task: 0.5 → 0.6 USD",
    );
    expect(await page.locator('body').innerText()).toContain('not applicable: no expired condition');
  }, 60_000);

  it('draws a history of one run as a point in the middle of its day, with "no trend yet"', async () => {
    const history = join(dir, 'one-night.jsonl');
    writeFileSync(history, `${readFileSync(FIXTURE, 'utf8').trim().split('\n').at(-1)}\n`);
    const file = join(dir, 'one-night.html');
    expect((await runCli(['history', '--history', history, '--format', 'html', '--output', file])).code).toBe(0);
    const { page, seen } = await open(file);
    expect(seen.problems).toEqual([]);
    expect(await page.locator('#chart-pass-rate .chart-note').innerText()).toBe(
      'one run so far (2026-11-25 02:00 UTC): no trend yet',
    );
    // where the point is drawn, as a share of the plot's width: an x axis of years put it at the left edge (0)
    const share = await page.$eval('#chart-pass-rate canvas', (canvas) => {
      const c = canvas as HTMLCanvasElement;
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const xs: number[] = [];
      for (let i = 0; i < px.length; i += 4) if (px[i + 3]! > 0 && px[i + 2]! - px[i]! > 80) xs.push((i / 4) % c.width);
      return xs.reduce((a, b) => a + b, 0) / xs.length / c.width;
    });
    expect(share).toBeGreaterThan(0.35);
  }, 60_000);

  it('looks as it did: a full-page screenshot against the kept one', async () => {
    const file = join(dir, 'history-shot.html');
    expect((await runCli(['history', '--history', FIXTURE, '--format', 'html', '--output', file])).code).toBe(0);
    const { page } = await open(file);
    const shot = PNG.sync.read(await page.screenshot({ fullPage: true, animations: 'disabled' }));
    if (process.env.UPDATE_SCREENSHOTS || !existsSync(BASELINE)) {
      if (MUST_HAVE_CHROMIUM && !process.env.UPDATE_SCREENSHOTS)
        throw new Error(
          `${BASELINE} is missing: run UPDATE_SCREENSHOTS=1 npx vitest run ` +
            `test/dashboard-browser.test.ts and commit it`,
        );
      writeFileSync(BASELINE, PNG.sync.write(shot));
    }
    const kept = PNG.sync.read(readFileSync(BASELINE));
    expect(`${shot.width}×${shot.height}`, 'the page changed size').toBe(`${kept.width}×${kept.height}`);
    const diff = new PNG({ width: kept.width, height: kept.height });
    const changed = pixelmatch(kept.data, shot.data, diff.data, kept.width, kept.height, { threshold: 0.1 });
    if (changed > MAX_CHANGED_PIXELS) {
      mkdirSync('reports', { recursive: true });
      writeFileSync('reports/dashboard-actual.png', PNG.sync.write(shot));
      writeFileSync('reports/dashboard-diff.png', PNG.sync.write(diff));
    }
    expect(
      changed,
      `${changed} pixels differ from ${BASELINE}: see reports/dashboard-actual.png and reports/dashboard-diff.png`,
    ).toBeLessThanOrEqual(MAX_CHANGED_PIXELS);
  }, 60_000);

  it("a run's report.html opens clean, and a hostile history cannot script the page", async () => {
    const history = join(dir, 'hostile.jsonl');
    const lines = readFileSync(FIXTURE, 'utf8')
      .trim()
      .split('\n')
      .slice(-3)
      .map((l) => JSON.parse(l) as { checks: Record<string, { status: string; detail?: string }> });
    lines.at(-1)!.checks['evolink-kling-v3-t2v defaults.duration']!.detail =
      `</script><script>alert(1)</script><img src=x onerror="document.title='owned';fetch('http://127.0.0.1:9/x')">`;
    writeFileSync(history, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const reportDir = join(dir, 'run');
    const r = await runCli([
      'run',
      '--provider',
      'fal-kling-v3-standard-t2v',
      '--target',
      'mock',
      '--family',
      'defaults',
      '--family',
      'auth',
      '--report-dir',
      reportDir,
      '--history',
      history,
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = await open(join(reportDir, 'report.html'));
    expect(report.seen.problems).toEqual([]);
    expect(await report.page.$$eval('details table.matrix tbody tr', (rows) => rows.length)).toBeGreaterThan(5);
    expect(await report.page.locator('body').innerText()).toContain('passed');
    const html = join(dir, 'hostile.html');
    expect((await runCli(['history', '--history', history, '--format', 'html', '--output', html])).code).toBe(0);
    const { page, seen } = await open(html);
    expect(seen.problems).toEqual([]);
    expect(seen.requests).toEqual([pathToFileURL(html).href]);
    expect(await page.title()).not.toBe('owned');
    expect(await page.locator('body').innerText()).toContain('<img src=x onerror=');
  }, 60_000);
});
