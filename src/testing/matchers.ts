import { isSuccess, successStatuses } from '../spec/operations.ts';
import { statusWordOf } from '../spec/status-phase.ts';
import { loadAllSpecs, loadSpecById } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import type { Diagnostic } from '../validate/describe-errors.ts';

export type ResponseKind = 'create' | 'poll' | 'error';

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/**
 * vitest (and jest) matchers for your own tests, judged by the providers' documents:
 *
 *   expect.extend(await klingMatchers());
 *   expect(body).toMatchProviderRequest('fal-kling-v3-standard-t2v');
 *   expect(answer).toMatchProviderResponse('kling-official-v3', 'poll');
 *   expect(error).toMatchProviderResponse('evolink-kling-v3-t2v', 'error', 400);
 *
 * The specs are loaded once, up front (every shipped provider, or the ids you name), so the matchers are synchronous.
 */
export async function klingMatchers(options: { providers?: string[]; specsDir?: string } = {}) {
  const specs = new Map(
    (options.providers
      ? await Promise.all(options.providers.map((id) => loadSpecById(id, options.specsDir)))
      : await loadAllSpecs(options.specsDir)
    ).map((s) => [s.id, s]),
  );
  const specOf = (id: string): ProviderSpec => {
    const spec = specs.get(id);
    if (!spec)
      throw new Error(
        `unknown provider "${id}": load it with klingMatchers({ providers: [...] }) ` +
          `(loaded: ${[...specs.keys()].join(', ')})`,
      );
    return spec;
  };
  return {
    toMatchProviderRequest(received: unknown, id: string): MatcherResult {
      const errors = compileValidators(specOf(id)).request(received).errors;
      return verdict(errors, `a create request ${id} documents`);
    },
    toMatchProviderResponse(received: unknown, id: string, kind: ResponseKind, status?: number): MatcherResult {
      const spec = specOf(id);
      const validators = compileValidators(spec);
      if (kind === 'create')
        return judge(
          validators.response('create', status ?? successStatuses(spec, 'create')[0]!),
          received,
          `the create response ${id} documents`,
        );
      if (kind === 'poll') {
        const word = statusWordOf(spec, received);
        const byWord = word === undefined ? undefined : validators.pollStatus(word);
        if (byWord) return judge(byWord, received, `the "${word}" poll body ${id} documents`);
        return judge(
          validators.response('poll', status ?? successStatuses(spec, 'poll')[0]!),
          received,
          `a poll response ${id} documents`,
        );
      }
      if (status === undefined || isSuccess(spec, 'create', status))
        return {
          pass: false,
          message: () =>
            `toMatchProviderResponse(${id}, 'error', status): name the error's HTTP status ` +
            `(documented: ${Object.keys(spec.x.errors).join(', ')})`,
        };
      return judge(
        validators.response('create', status) ?? validators.response('poll', status),
        received,
        `the ${status} error body ${id} documents`,
      );
    },
  };
}

function judge(
  validate: ((body: unknown) => { errors: Diagnostic[] }) | undefined,
  received: unknown,
  what: string,
): MatcherResult {
  if (!validate) return { pass: false, message: () => `no schema is documented for ${what}` };
  return verdict(validate(received).errors, what);
}

function verdict(errors: Diagnostic[], what: string): MatcherResult {
  return errors.length === 0
    ? { pass: true, message: () => `expected the body not to be ${what}, but it is` }
    : {
        pass: false,
        message: () => `expected ${what}:\n${errors.map((e) => `  ${e.pointer || '/'}: ${e.message}`).join('\n')}`,
      };
}

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: the declaration merges with vitest's own, which has this default
  interface Assertion<T = any> {
    toMatchProviderRequest(id: string): T;
    toMatchProviderResponse(id: string, kind: ResponseKind, status?: number): T;
  }
  interface AsymmetricMatchersContaining {
    toMatchProviderRequest(id: string): unknown;
    toMatchProviderResponse(id: string, kind: ResponseKind, status?: number): unknown;
  }
}
