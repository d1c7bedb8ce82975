// `mock --record` stopping with requests in flight (stopMocks, as the CLI runs it on SIGINT/SIGTERM): a request held
// by a scripted delay is answered (the delay ends at the stop) and recorded as answered; a client still sending its
// body gets the mock's 503 at a second Ctrl-C and is recorded as cut; the HAR is assembled. No timer: the delay is on
// the mock's virtual clock, never advanced.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../test/support/temp-folder.ts';
import type { Har } from '../har/har-types.ts';
import { loadSpecById } from '../spec/load-spec.ts';
import { startMocks, stopMocks } from './start-mocks.ts';

const CREATE = JSON.stringify({ model: 'kling-v3-text-to-video', prompt: 'a cat' });
const headers = { authorization: 'Bearer sk-mock-stop-7e8f9a', 'content-type': 'application/json' };

describe('mock --record stop with requests in flight', () => {
  it('answers the delayed request, cuts the one still sending its body at a second stop, records both', async () => {
    const file = join(tempFolder('kc-mock-stop-'), 'stop.har');
    const [mock] = await startMocks([await loadSpecById('evolink-kling-v3-t2v')], { record: { file } });
    const url = `${mock!.url}/v1/videos/generations`;
    const arrived = new Promise<void>((resolve) => mock!.server.server.once('request', () => resolve()));
    const delayed = request(url, {
      method: 'POST',
      headers: { ...headers, 'x-mock-scenario': 'delay:60000' },
      body: CREATE,
    });
    await arrived;
    const body = new PassThrough();
    const bodyStarted = new Promise<void>((resolve) =>
      mock!.server.server.once('request', (req) => req.once('data', () => resolve())),
    );
    const slow = request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(CREATE.length) },
      body,
    });
    body.write(CREATE.slice(0, 12));
    await bodyStarted;

    let second: (why: string) => void = () => {};
    const stopping = stopMocks([mock!], { cutNow: new Promise((resolve) => (second = resolve)) });
    const answered = await delayed;
    expect(answered.statusCode).toBe(200);
    const task = (await answered.body.json()) as { id: string };
    second('a second SIGINT');
    const cut = await slow;
    expect(cut.statusCode).toBe(503);
    expect(await cut.body.json()).toEqual({
      error: {
        code: 'mock_stopping',
        message:
          'the kling-conformance mock stopped (a second SIGINT) before it answered, ' +
          "before the request's body had all arrived",
      },
    });
    await stopping;

    const entries = (JSON.parse(readFileSync(file, 'utf8')) as Har).log.entries;
    expect(entries.map((e) => [e.response.status, e._kc?.step])).toEqual([
      [200, 'delay:60000'],
      [503, 'cut-at-stop'],
    ]);
    expect(entries[0]?._kc?.taskId).toBe(task.id);
    expect(entries[1]?.request.postData?.text).toBe(CREATE.slice(0, 12));
    expect(entries[1]?.response.content.comment).toMatch(/mock stopped \(a second SIGINT\)/);
  });
});
