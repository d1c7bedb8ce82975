import { describe, expect, it } from 'vitest';
import { loadSpecById } from '../spec/load-spec.ts';
import { TEMPLATE_VARIABLES } from '../spec/template-variables.ts';
import { createMockState } from './mock-state.ts';
import { taskValues } from './task-view.ts';

describe('taskValues', () => {
  it('answers every documented template variable, each as the variable list describes it', async () => {
    const state = createMockState(await loadSpecById('evolink-kling-v3-t2v'));
    const { task } = state.tasks.create(
      {
        createdAt: 1_700_000_000_500,
        request: { prompt: 'p', options: { seed: 7 } },
        settings: { values: {}, defaulted: [], durationSeconds: 5 },
        externalId: 'ext-1',
        outcome: 'policy',
        origin: 'http://127.0.0.1:9',
        price: 0.375,
      },
      false,
    );
    const initial = taskValues(state, task);
    expect(initial('task.queuePosition')).toBe(0);
    expect(initial('task.progress')).toBe(0);
    expect(initial('task.completedAt')).toBeUndefined();
    expect(initial('error.code')).toBeUndefined();

    state.tasks.advance(task, 1_700_000_060_000, { afterPolls: 1 }, true);
    const ended = taskValues(state, task);
    for (const name of Object.keys(TEMPLATE_VARIABLES).filter((n) => n !== 'task.queuePosition'))
      expect([name, ended(name)]).not.toEqual([name, undefined]);
    expect(ended('task.queuePosition')).toBeUndefined();
    expect({
      id: ended('task.id'),
      progress: ended('task.progress'),
      createdAt: ended('task.createdAt'),
      createdAtMs: ended('task.createdAtMs'),
      completedAt: ended('task.completedAt'),
      duration: ended('task.duration'),
      externalId: ended('task.externalId'),
      price: ended('task.price'),
      baseUrl: ended('baseUrl'),
      errorMessage: ended('error.message'),
    }).toEqual({
      id: task.id,
      progress: 100,
      createdAt: 1_700_000_000,
      createdAtMs: 1_700_000_000_500,
      completedAt: 1_700_000_060,
      duration: 5,
      externalId: 'ext-1',
      price: 0.375,
      baseUrl: 'http://127.0.0.1:9',
      errorMessage: 'content policy violation',
    });
    expect(ended('task.resultUrl')).toBe(`http://127.0.0.1:9/__mock/videos/${task.videoToken}.mp4`);
    expect(ended('request.options.seed')).toBe(7);
    expect(ended('request.missing.deeper')).toBeUndefined();
    // one request id per answer, a fresh one for the next
    expect(ended('requestId')).toBe(ended('requestId'));
    expect(taskValues(state, task)('requestId')).not.toBe(ended('requestId'));
  });
});

describe('answers as JSON text', () => {
  it('are exactly JSON.stringify of the rendered template, for every template of every spec and phase', async () => {
    const { loadAllSpecs } = await import('../spec/load-spec.ts');
    const { compileJsonTemplate, compileTemplate } = await import('./render-template.ts');
    for (const spec of await loadAllSpecs()) {
      const state = createMockState(spec);
      const r = spec.x.responses;
      const templates = [
        r.create,
        ...Object.values(r.poll),
        r.result,
        r.cancel?.body,
        ...Object.values(spec.x.errors).map((e) => e.body),
        // what no spec names yet: values that need escaping, objects, arrays with missing values, formats
        {
          p: '{{request.prompt}}',
          o: '{{request.options}}',
          s: 'x "{{request.prompt}}" y',
          a: ['{{task.completedAt}}', '{{task.externalId}}', 1, null],
          d: '{{task.duration | fixed1}}',
        },
      ].filter((t) => t !== undefined);
      for (const outcome of ['succeed', 'policy'] as const) {
        const { task } = state.tasks.create(
          {
            createdAt: 1_700_000_000_000,
            request: { prompt: 'a "quoted"\nprompt', model: 'm', options: { seed: 3 } },
            settings: { values: {}, defaulted: [], durationSeconds: 5 },
            externalId: 'ext',
            outcome,
            origin: 'http://127.0.0.1:9',
            price: 0.375,
          },
          false,
        );
        for (let poll = 0; poll < 4; poll++) {
          const values = taskValues(state, task);
          // a fixed request id: the two renderings must see the same values
          const fixed = (path: string) => (path === 'requestId' ? 'req_fixed' : values(path));
          for (const template of templates)
            expect([spec.id, compileJsonTemplate(template)(fixed)]).toEqual([
              spec.id,
              JSON.stringify(compileTemplate(template)(fixed)),
            ]);
          state.tasks.advance(task, 1_700_000_000_000 + poll * 1000, { afterPolls: 3 }, true);
        }
      }
    }
  });
});

describe('renderPollJson', () => {
  it('gives an unchanged task the same string; anew once it moves or names a request id', async () => {
    const { loadAllSpecs } = await import('../spec/load-spec.ts');
    const { compileJsonTemplate } = await import('./render-template.ts');
    const { renderPollJson, statusWord } = await import('./task-view.ts');
    for (const spec of await loadAllSpecs()) {
      const state = createMockState(spec);
      const { task } = state.tasks.create(
        {
          createdAt: 1_700_000_000_000,
          request: { prompt: 'p', model: 'm', options: {} },
          settings: { values: {}, defaulted: [], durationSeconds: 5 },
          externalId: 'ext',
          outcome: 'succeed',
          origin: 'http://127.0.0.1:9',
          price: 0.375,
        },
        false,
      );
      let before = '';
      let previous = '';
      for (let poll = 0; poll < 4; poll++) {
        const text = renderPollJson(state, task);
        const template = spec.x.responses.poll[statusWord(state, task)] ?? spec.x.responses.poll.default;
        let perAnswer = false;
        const values = taskValues(state, task);
        const rendered = compileJsonTemplate(template)((path) => {
          if (path === 'requestId') perAnswer = true;
          return values(path);
        });
        // what a fresh rendering answers, but for the request id (new in each answer)
        const id = /"req[^"]*"/g;
        expect([spec.id, text.replace(id, '')]).toEqual([spec.id, rendered!.replace(id, '')]);
        if (perAnswer) expect(renderPollJson(state, task)).not.toBe(text);
        else expect(renderPollJson(state, task)).toBe(text);
        // a task that moved is rendered anew (an ended one stays as it is)
        if (task.phase !== before) expect(text).not.toBe(previous);
        previous = text;
        before = task.phase;
        state.tasks.advance(task, 1_700_000_000_000 + (poll + 1) * 1000, { afterPolls: 1 }, true);
      }
    }
  });
});
