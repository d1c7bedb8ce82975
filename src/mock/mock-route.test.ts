// The node:http adapter's route table matches as the msw adapter does: method, exact path, `:name` segments decoded,
// the first route that matches wins.
import { describe, expect, it } from 'vitest';
import { answer, RouteTable, routePath, type MockRoute } from './mock-route.ts';

const route = (method: string, path: string, name: string): MockRoute => ({
  method,
  path,
  handle: () => answer(name),
});

describe('RouteTable', () => {
  const table = new RouteTable([
    route('GET', '/__mock/info', 'info'),
    route('GET', routePath('/v1/tasks/{task_id}'), 'poll'),
    route('POST', '/v1/videos/generations', 'create'),
    route('GET', '/videos/:token', 'video'),
    route('GET', '/v1/tasks/special', 'never reached: the parameter route is first'),
  ]);
  const name = async (method: string, path: string) => {
    const hit = table.match(method, path);
    return hit ? [((await hit.route.handle({} as never, hit.params)) as { body: string }).body, hit.params] : undefined;
  };

  it('matches method and exact path, decoding parameters', async () => {
    expect(await name('POST', '/v1/videos/generations')).toEqual(['create', {}]);
    expect(await name('GET', '/v1/videos/generations')).toBeUndefined();
    expect(await name('GET', '/v1/tasks/task%20a%2Fb')).toEqual(['poll', { task_id: 'task a/b' }]);
    expect(await name('GET', '/videos/abc123.mp4')).toEqual(['video', { token: 'abc123.mp4' }]);
    expect(await name('GET', '/v1/tasks/special')).toEqual(['poll', { task_id: 'special' }]);
  });

  it('takes a trailing slash, but no extra or missing segment, and keeps a bad escape as sent', async () => {
    expect(await name('GET', '/__mock/info/')).toEqual(['info', {}]);
    expect(await name('GET', '/v1/tasks/')).toBeUndefined();
    expect(await name('GET', '/v1/tasks/a/b')).toBeUndefined();
    expect(await name('GET', '/__mock/info/x')).toBeUndefined();
    expect(await name('GET', '/v1/tasks/%E0%A4%A')).toEqual(['poll', { task_id: '%E0%A4%A' }]);
  });
});
