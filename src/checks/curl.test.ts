// The curl line a report prints is judged by an independent shell parser (shell-quote): what a shell would pass to
// curl is exactly the URL and body sent, whatever quotes, dollars or CJK text they hold.
import { parse } from 'shell-quote';
import { describe, expect, it } from 'vitest';
import { loadSpecById } from '../spec/load-spec.ts';
import { toCurl } from './curl.ts';

describe('toCurl', () => {
  it('quotes every word so a shell passes the exact URL and body, and keeps the key in a variable', async () => {
    const spec = await loadSpecById('evolink-kling-v3-t2v');
    const url = "https://gw.test/v1/videos?x=1&y='2'";
    const body = { prompt: 'it\'s a 猫 on a $HOME `skateboard` \\ "quoted"', duration: 5 };
    const line = toCurl(spec, 'POST', url, body, 'EVOLINK_KEY');
    const words = parse(line.replace(/\\\n/g, ' '), { EVOLINK_KEY: 'k-123' });
    expect(words).toEqual([
      'curl',
      '-sS',
      '-X',
      'POST',
      url,
      '-H',
      `${spec.x.auth.header}: ${spec.x.auth.prefix}k-123`,
      '-H',
      'content-type: application/json',
      '--data-raw',
      JSON.stringify(body),
    ]);
  });
});
