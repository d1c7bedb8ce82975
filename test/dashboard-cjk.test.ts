// Chinese text in the HTML reports (the sources quote it; gateways answer in it): `history --format html` of a
// history whose evidence quotes a Chinese error message, opened in headless Chromium. The page names CJK-capable
// fonts for prose and for curl lines; where the machine has a CJK font (fc-list :lang=zh; CI may have none), the text
// is drawn with it: Chromium reports a CJK font used for the node, and two different characters draw different ink
// (boxes for missing glyphs all look alike). Temp files are removed afterwards.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, HAVE_CHROMIUM, MUST_HAVE_CHROMIUM, launchChromium } from './support/chromium.ts';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const MESSAGE = '参数错误：时长必须为 5 或 10 秒（提示词不能为空）';
const CJK_FAMILY = /CJK|Source Han|PingFang|Hiragino|YaHei|WenQuanYi|Noto Sans SC/i;
/** the CJK fonts this machine has, as fontconfig lists them (none, or no fontconfig: empty) */
const installedCjk = (spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).stdout ?? '').trim();

describe.skipIf(!HAVE_CHROMIUM && !MUST_HAVE_CHROMIUM)('Chinese text in the HTML reports', () => {
  let browser: Browser;
  let page: Page;
  const dir = tempFolder('kc-cjk-');

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium or set KC_CHROMIUM`);
    const nights = readFileSync('fixtures/history/30-nights.jsonl', 'utf8').trim().split('\n').slice(-2);
    const last = JSON.parse(nights[1]!) as { checks: Record<string, { detail?: string }> };
    last.checks['evolink-kling-v3-t2v defaults.duration']!.detail = `gateway answered 400: ${MESSAGE}`;
    writeFileSync(join(dir, 'history.jsonl'), `${nights[0]}\n${JSON.stringify(last)}\n`);
    const html = join(dir, 'history.html');
    const r = await runCli(['history', '--history', join(dir, 'history.jsonl'), '--format', 'html', '--output', html]);
    expect(r.code, r.stderr).toBe(0);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 })).newPage();
    await page.goto(pathToFileURL(html).href);
    // a curl line as report.html shows one (in <pre>), with a Chinese prompt in its body
    await page.evaluate(() => {
      const pre = document.createElement('pre');
      pre.id = 'cjk-curl';
      pre.textContent = `curl https://api.gateway.test/v1/videos/generations --data-raw '{"prompt":"一只猫在滑板上"}'`;
      document.body.append(pre);
    });
  }, 60_000);
  afterAll(async () => browser?.close());

  /** the font families Chromium drew a node's text with (DevTools' "Rendered Fonts") */
  async function renderedFonts(selector: string): Promise<string[]> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts.map((f) => f.familyName);
  }

  /** the ink two characters leave when drawn in the font of `selector` (identical: both are missing-glyph boxes) */
  const inkOf = (selector: string, chars: string[]) =>
    page.$eval(
      selector,
      (el, cs) => {
        const font = getComputedStyle(el);
        return cs.map((c) => {
          const canvas = document.createElement('canvas');
          canvas.width = 48;
          canvas.height = 48;
          const g = canvas.getContext('2d')!;
          g.font = `32px ${font.fontFamily}`;
          g.fillText(c, 4, 38);
          return Array.from(g.getImageData(0, 0, 48, 48).data.filter((_, i) => i % 4 === 3)).join(',');
        });
      },
      chars,
    );

  it('names CJK-capable fonts for prose and for curl lines', async () => {
    const li = page.locator('li', { hasText: MESSAGE });
    expect(await li.count()).toBe(1);
    expect(await li.evaluate((e) => getComputedStyle(e).fontFamily)).toMatch(/"Noto Sans CJK SC".*"PingFang SC"/);
    expect(await page.$eval('#cjk-curl', (e) => getComputedStyle(e).fontFamily)).toMatch(/monospace/);
    expect(await page.$eval('#cjk-curl', (e) => getComputedStyle(e).fontFamily)).toContain('Noto Sans CJK SC');
  });

  it.skipIf(!installedCjk)(
    `draws the Chinese with a CJK font where one is installed (${installedCjk ? 'here: yes' : 'here: none'})`,
    async () => {
      await page.locator('li', { hasText: MESSAGE }).evaluate((e) => e.setAttribute('id', 'cjk-message'));
      for (const selector of ['#cjk-message', '#cjk-curl']) {
        expect(
          (await renderedFonts(selector)).some((f) => CJK_FAMILY.test(f)),
          selector,
        ).toBe(true);
        const [a, b] = await inkOf(selector, ['参', '数']);
        expect(a, `${selector}: 参 and 数 draw the same (missing-glyph boxes)`).not.toBe(b);
      }
    },
  );
});
