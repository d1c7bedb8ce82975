// What a team's own tests use: matchers judged by the providers' documents, and typed request builders with the
// documented defaults — here driving the in-process mock as a user's client test would.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRequest, klingMatchers, requestFor } from '../src/testing/index.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';

beforeAll(async () => {
  expect.extend(await klingMatchers());
});

describe('toMatchProviderRequest', () => {
  it('passes a documented body and fails an undocumented one, naming the field', () => {
    expect({ prompt: 'a cat', duration: '5' }).toMatchProviderRequest('fal-kling-v3-standard-t2v');
    expect(() => expect({ prompt: 'a cat', duration: 5 }).toMatchProviderRequest('fal-kling-v3-standard-t2v')).toThrow(
      /\/duration/,
    );
    expect({ prompt: 'a cat', duration: 5 }).not.toMatchProviderRequest('fal-kling-v3-standard-t2v');
    expect(() => expect({}).toMatchProviderRequest('no-such-provider')).toThrow(/unknown provider "no-such-provider"/);
  });
});

describe('toMatchProviderResponse', () => {
  it('judges create and poll bodies (by their status word) and error bodies by their status', () => {
    expect({
      code: 0,
      message: 'SUCCEED',
      request_id: 'r',
      data: { task_id: '8', task_status: 'submitted' },
    }).toMatchProviderResponse('kling-official-v3', 'create');
    const succeed = {
      code: 0,
      data: {
        task_id: '8',
        task_status: 'succeed',
        task_result: { videos: [{ id: 'v', url: 'https://x.example/v.mp4', duration: '5.0' }] },
      },
    };
    expect(succeed).toMatchProviderResponse('kling-official-v3', 'poll');
    // a succeed body without its result is not what the documents describe
    expect(() =>
      expect({ code: 0, data: { task_id: '8', task_status: 'succeed' } }).toMatchProviderResponse(
        'kling-official-v3',
        'poll',
      ),
    ).toThrow(/"succeed" poll body.*\n.*task_result/);
    expect({ error: { code: 'invalid_request', message: 'x' } }).toMatchProviderResponse(
      'evolink-kling-v3-t2v',
      'error',
      400,
    );
    expect(() => expect({ message: 'x' }).toMatchProviderResponse('evolink-kling-v3-t2v', 'error', 400)).toThrow(
      /400 error body/,
    );
    expect(() => expect({}).toMatchProviderResponse('evolink-kling-v3-t2v', 'error')).toThrow(
      /name the error's HTTP status/,
    );
  });
});

describe('request builders', () => {
  it(
    'fill the documented defaults at each provider’s own fields, typed per ' + 'provider, and keep your fields',
    async () => {
      const fal = await buildRequest('fal-kling-v3-standard-t2v', { prompt: 'a lighthouse', generate_audio: false });
      expect(fal).toEqual({ prompt: 'a lighthouse', duration: '5', aspect_ratio: '16:9', generate_audio: false });
      expect(fal).toMatchProviderRequest('fal-kling-v3-standard-t2v');
      const kling = await buildRequest('kling-official-v3', { prompt: 'a lighthouse' });
      expect(kling).toMatchObject({
        model_name: 'kling-v3',
        prompt: 'a lighthouse',
        duration: '5',
        mode: 'std',
        aspect_ratio: '16:9',
      });
      expect(kling).toMatchProviderRequest('kling-official-v3');
      // nested settings keep the defaults you did not set (seed 003's settings object)
      const seed3 = requestFor(await loadSpecById('aimanyi-kling-3.0-turbo'), {
        prompt: 'a cat',
        settings: { duration: 10 },
      });
      expect(seed3.settings).toMatchObject({ duration: 10, resolution: '720p' });
      expect(seed3).toMatchProviderRequest('aimanyi-kling-3.0-turbo');
    },
  );
});
