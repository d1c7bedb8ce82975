// The README's in-process example: msw's setupServer with the generated handlers, reached through global fetch.
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadSpecById } from '../index.ts';
import { createProviderMock } from './index.ts';

const spec = await loadSpecById('evolink-kling-v3-t2v');
const mock = createProviderMock(spec, { validKeys: ['test-key'] }, 'https://api.gateway.test');
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

it('serves the EvoLink mock to global fetch at the chosen origin', async () => {
  // the header as the provider's auth scheme says (EvoLink: a static key after its documented prefix)
  const headers = { [spec.x.auth.header]: `${spec.x.auth.prefix}test-key`, 'content-type': 'application/json' };
  const created = await fetch('https://api.gateway.test/v1/videos/generations', {
    method: 'POST',
    headers,
    body: JSON.stringify({ model: 'kling-v3-text-to-video', prompt: 'a cat' }),
  });
  expect(created.status).toBe(200);
  const { id, status } = (await created.json()) as { id: string; status: string };
  expect(status).toBe('pending');
  const polled = await fetch(`https://api.gateway.test/v1/tasks/${id}`, { headers });
  expect(((await polled.json()) as { status: string }).status).toBe('pending');
  const unauthorized = await fetch('https://api.gateway.test/v1/videos/generations', {
    method: 'POST',
    body: '{}',
    headers: { 'content-type': 'application/json' },
  });
  expect(unauthorized.status).toBe(401);
});

it("reserves credits, not dollars, in EvoLink's usage.credits_reserved ($0.075 a second is 5.4 credits)", async () => {
  const headers = { [spec.x.auth.header]: `${spec.x.auth.prefix}test-key`, 'content-type': 'application/json' };
  const created = await fetch('https://api.gateway.test/v1/videos/generations', {
    method: 'POST',
    headers,
    body: JSON.stringify({ model: 'kling-v3-text-to-video', prompt: 'a cat', duration: 5, quality: '720p' }),
  });
  const { usage } = (await created.json()) as { usage: { credits_reserved: number } };
  // 5 s × 5.4 credits (720p, sound off), where the USD price would be 0.375
  expect(usage.credits_reserved).toBe(27);
});
