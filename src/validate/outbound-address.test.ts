import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { callbackUrlProblem, classifyHost, dialClass } from './callback-url.ts';
import { pinnedLookup, resultLinkAddress } from './outbound-address.ts';
import type { ProviderSpec } from '../spec/model.ts';

describe('result links: the address policy', () => {
  const publicBase = 'https://api.gateway.example';
  const loopbackBase = 'http://127.0.0.1:8080';

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://[fe80::1]/v.mp4',
    'http://10.0.0.7/v.mp4',
    'http://192.168.1.1/v.mp4',
    'http://[64:ff9b::a9fe:a9fe]/v.mp4',
    'http://[::ffff:169.254.169.254]/v.mp4',
    'http://metadata/computeMetadata/v1/',
    'http://instance-data/latest/',
    'http://metadata.google.internal/',
    'http://127.0.0.1/v.mp4',
    'http://localhost:9/v.mp4',
    'file:///etc/passwd',
  ])('%s is refused for a public base URL', async (link) => {
    expect(await resultLinkAddress(link, publicBase)).toHaveProperty('refused');
  });

  it('loopback links only when the base URL is loopback; public addresses always (a CDN on another host)', async () => {
    expect(await resultLinkAddress('http://127.0.0.1:9/v.mp4', loopbackBase)).toEqual(
      expect.objectContaining({ address: '127.0.0.1' }),
    );
    expect(await resultLinkAddress('http://localhost:9/v.mp4', 'http://localhost:8080')).toHaveProperty('address');
    expect(await resultLinkAddress('https://93.184.215.14/v.mp4', publicBase)).toHaveProperty('address');
    // translated spellings of loopback are not loopback on the wire, even for a loopback base URL
    expect(await resultLinkAddress('http://[64:ff9b::7f00:1]/v.mp4', loopbackBase)).toHaveProperty('refused');
    expect(await resultLinkAddress('http://169.254.169.254/', loopbackBase)).toHaveProperty('refused');
  });

  it('the connection is pinned to the judged address, whatever the URL names (asked with all: true too)', async () => {
    const server = createServer((_req, res) => res.end('pinned'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const agent = new Agent({ connect: { lookup: pinnedLookup({ address: '127.0.0.1', family: 4 }) } });
    try {
      const res = await request(`http://cdn.example.invalid:${port}/v.mp4`, { dispatcher: agent });
      expect(await res.body.text()).toBe('pinned');
    } finally {
      await agent.close();
      server.close();
    }
  });
});

describe('address spellings', () => {
  it('NAT64, SIIT and 6to4 spellings of loopback are judged loopback but never dialed as loopback', () => {
    for (const a of ['64:ff9b::7f00:1', '::ffff:0:7f00:1', '2002:7f00:1::', '::7f00:1'])
      expect(dialClass(a), a).toBe('internal');
    for (const a of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(dialClass(a), a).toBe('loopback');
  });

  it('validate refuses IPv4-compatible loopback, single-label names and metadata names for forbidInternal', () => {
    const spec = { x: { callbacks: { httpsOnly: true, forbidInternal: true } } } as unknown as ProviderSpec;
    for (const url of [
      'https://[::127.0.0.1]/cb',
      'https://[::7f00:1]/cb',
      'https://[::a9fe:a9fe]/cb',
      'https://metadata/cb',
      'https://instance-data/cb',
      'https://intranet-host/cb',
    ])
      expect(callbackUrlProblem(spec, url), url).toMatch(/internal address/);
    expect(callbackUrlProblem(spec, 'https://hooks.example.com/cb')).toBeUndefined();
    expect(classifyHost('hooks.example.com')).toBeUndefined();
  });
});
