import { describe, expect, it } from 'vitest';
import { clientOf } from './client-id.ts';
import type { WireExchange } from './har-entry.ts';
import { HarRecorder } from './har-recorder.ts';

const auth = { header: 'Authorization', prefix: 'Bearer ' };
const creator = { name: 'test', version: '0' };

function request(at: number, headers: WireExchange['headers']): WireExchange {
  return {
    method: 'GET',
    url: `http://127.0.0.1:1/v1/tasks/t${at}`,
    headers,
    body: Buffer.alloc(0),
    startedAt: at,
    endedAt: at + 1,
    response: { status: 200, headers: {}, body: '{}' },
  };
}

describe("an entry's client and key fingerprint", () => {
  it('are those of its own request, whichever key the request before it carried', () => {
    const [a, b] = ['sk-entry-meta-key-a-0c4f1e', 'sk-entry-meta-key-b-93d2a7'];
    const sent: [WireExchange['headers'], string, string | undefined][] = [
      [{ authorization: `Bearer ${a}` }, clientOf(undefined, a), clientOf(undefined, a)],
      [{ authorization: `Bearer ${a}` }, clientOf(undefined, a), clientOf(undefined, a)],
      [{ authorization: `Bearer ${b}` }, clientOf(undefined, b), clientOf(undefined, b)],
      [{ authorization: `Bearer ${b}`, 'x-client-id': 'worker-2' }, 'worker-2', clientOf(undefined, b)],
      [{}, 'anonymous', undefined],
      [{ authorization: `Bearer ${a}` }, clientOf(undefined, a), clientOf(undefined, a)],
    ];
    const recorder = new HarRecorder({ auth, meta: {}, creator });
    for (const [i, [headers]] of sent.entries()) recorder.record(request(i, headers));
    const kc = recorder.har().log.entries.map((e) => [e._kc?.client, e._kc?.key]);
    expect(kc).toEqual(sent.map(([, client, key]) => [client, key]));
    expect(new Set(kc.map(([, key]) => key)).size).toBe(3);
  });
});
