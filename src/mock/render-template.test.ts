import { describe, expect, it } from 'vitest';
import { renderTemplate } from './render-template.ts';
import { templateProblems } from '../spec/template-variables.ts';

describe('response templates', () => {
  const context = {
    baseUrl: 'http://127.0.0.1:9',
    task: { id: 't1', duration: 5, createdAt: 0 },
    error: { code: 1002 },
  };
  it(
    'keeps a whole placeholder typed, renders formats, interpolates {{baseUrl}} ' +
      'into absolute URLs, drops missing values',
    () => {
      expect(
        renderTemplate(
          {
            code: '{{error.code}}',
            d: '{{task.duration | fixed1}}',
            s: '{{task.duration | string}}',
            url: '{{baseUrl}}/requests/{{task.id}}/status',
            gone: '{{task.externalId}}',
          },
          context,
        ),
      ).toEqual({
        code: 1002,
        d: '5.0',
        s: '5',
        url: 'http://127.0.0.1:9/requests/t1/status',
      });
      expect(renderTemplate({ at: '{{task.createdAt | iso}}' }, context)).toEqual({ at: '1970-01-01T00:00:00.000Z' });
    },
  );

  it('compiles a template once and renders it afresh for each context (no answer kept)', () => {
    const template = {
      id: '{{task.id}}',
      list: ['{{task.id}}', '{{task.gone}}', 'x'],
      n: 3,
      none: null,
      text: 'plain',
    };
    const first = renderTemplate(template, { task: { id: 'a' } });
    const second = renderTemplate(template, { task: { id: 'b' } });
    expect(first).toEqual({ id: 'a', list: ['a', 'x'], n: 3, none: null, text: 'plain' });
    expect(second).toEqual({ id: 'b', list: ['b', 'x'], n: 3, none: null, text: 'plain' });
    expect(second).not.toBe(first);
    expect(renderTemplate('{{task.id}}-{{task.gone}}-{{ task.id | string }}', { task: { id: 7 } })).toBe('7--7');
  });

  it('names every unknown placeholder or format, with where it is', () => {
    expect(
      templateProblems({
        a: { b: '{{task.stauts}}' },
        c: ['{{task.id | upper}}'],
        d: '{{request.prompt}}',
        e: '{{ broken',
      }),
    ).toEqual([
      { pointer: '/a/b', message: expect.stringContaining('unknown placeholder {{task.stauts}}') },
      { pointer: '/c/0', message: expect.stringContaining('unknown format "upper"') },
      { pointer: '/e', message: expect.stringContaining('not {{name}} or {{name | format}}') },
    ]);
  });
});
