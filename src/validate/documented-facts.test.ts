// Facts the public documents state that a first live run would otherwise raise a false alarm on: ToAPIs ids are
// tsk_vid_… and task_… as well as video_…, its callbacks are HTTPS to public addresses only, EvoLink's scheme is
// case-insensitive, and Kling's prompt is optional in a customised multi-shot request.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllSpecs } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { compileValidators } from './compile-validators.ts';
import { callbackUrlProblem } from './callback-url.ts';

let specs: Map<string, ProviderSpec>;
beforeAll(async () => {
  specs = new Map((await loadAllSpecs()).map((s) => [s.id, s]));
});
const toapis = ['toapis-kling-3.0-turbo', 'toapis-kling-v3-fast'];

describe('ToAPIs task ids and callbacks, as its status and webhook pages show them', () => {
  it('a poll body whose id is tsk_vid_… or task_… matches the documented status schema', () => {
    for (const id of toapis) {
      const spec = specs.get(id)!;
      for (const taskId of ['tsk_vid_01HZX3', 'task_8a1b', 'video_123']) {
        const body = { id: taskId, object: 'generation.task', model: spec.x.provider.model, status: 'in_progress' };
        const errors = compileValidators(spec).pollStatus('in_progress')!({ ...body, progress: 50, created_at: 1 });
        expect(errors.errors, `${id} ${taskId}`).toEqual([]);
      }
    }
  });

  it('a callback_url that is not HTTPS, or points at a private, loopback or link-local address, is rejected', () => {
    for (const id of toapis) {
      const spec = specs.get(id)!;
      const body = (url: string) => ({ model: spec.x.provider.model, prompt: 'a cat', callback_url: url });
      const problems = (url: string) => [
        ...compileValidators(spec)
          .request(body(url))
          .errors.map((e) => e.message),
        ...[callbackUrlProblem(spec, url)].filter(Boolean),
      ];
      for (const bad of [
        'http://example.com/hook',
        'https://10.0.0.1/x',
        'https://127.0.0.1/x',
        'https://169.254.1.1/',
      ])
        expect(problems(bad), `${id} ${bad}`).not.toEqual([]);
      expect(problems('https://example.com/hook'), id).toEqual([]);
      expect(problems('HTTPS://example.com/hook'), id).toEqual([]);
    }
  });
});

describe('other documented facts', () => {
  it('EvoLink accepts an upper-case HTTPS scheme', () => {
    const spec = specs.get('evolink-kling-v3-t2v')!;
    const body = { ...(spec.create.examples[0]!.value as object), callback_url: 'HTTPS://example.com/hook' };
    expect(compileValidators(spec).request(body).errors).toEqual([]);
  });

  it('Kling requires a prompt unless the request is a customised multi-shot one', () => {
    const v = compileValidators(specs.get('kling-official-v3')!).request;
    const shots = [
      { index: 1, prompt: 'a', duration: '2' },
      { index: 2, prompt: 'b', duration: '3' },
    ];
    expect(v({ model_name: 'kling-v3', duration: '5' }).errors).not.toEqual([]);
    expect(
      v({ model_name: 'kling-v3', duration: '5', multi_shot: true, shot_type: 'customize', multi_prompt: shots })
        .errors,
    ).toEqual([]);
    expect(v({ model_name: 'kling-v3', multi_shot: true, shot_type: 'intelligence' }).errors).not.toEqual([]);
    expect(
      v({ model_name: 'kling-v3', duration: '6', multi_shot: true, shot_type: 'customize', multi_prompt: shots })
        .errors,
    ).not.toEqual([]);
  });
});
