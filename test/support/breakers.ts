// Test-only: the departures a check declares for the proof that it can fail (src/checks/breakers.ts), built as msw
// handlers in front of the faithful mock (deviating-mock.ts) or as the client module they name. Each reads its facts
// from the spec at hand: no provider's field names are written here.
import type { Breaker, BreakOperation, GatewayDeparture } from '../../src/checks/breakers.ts';
import { exampleBody } from '../../src/checks/probes/request-bodies.ts';
import type { ClientAdapter } from '../../src/client/client-adapter.ts';
import { authHeader } from '../../src/client/auth-header.ts';
import { deleteAt, getAt, setAt } from '../../src/core/json-pointer.ts';
import { isSuccess } from '../../src/spec/operations.ts';
import type { ProviderSpec } from '../../src/spec/model.ts';
import { compileValidators } from '../../src/validate/compile-validators.ts';
import { editJson, rewriteStatusWords, withBody, type Deviation, type Exchange } from './deviating-mock.ts';

/** A declared breaker, built: the gateway in front of the faithful mock, or the judged client. */
export interface BuiltBreaker {
  deviation?: Deviation;
  adapter?: ClientAdapter;
}

export const KEY = 'kc-proof-key';
export const SECRET = 'kc-proof-secret';

const onCreate = (
  edit: (b: Record<string, unknown>, spec: ProviderSpec) => Record<string, unknown> | undefined,
  headers?: Record<string, string>,
): Deviation => ({
  request: (req, x) => (x.operation === 'create' ? withBody(req, (b) => edit(b, x.spec), headers) : req),
});
const onResponse = (
  operation: Exchange['operation'],
  edit: (res: Response, req: Request, x: Exchange) => Promise<Response> | Response,
): Deviation => ({ response: (res, req, x) => (x.operation === operation ? edit(res, req, x) : res) });

/**
 * Bodies an error answer may carry instead of the documented one: the proof serves the first that the spec's own
 * schema for that status rejects (a gateway whose only documented error field is `message` gets something else).
 */
const UNDOCUMENTED_BODIES: unknown[] = [
  { message: 'something went wrong' },
  { kc_undocumented: true },
  'something went wrong',
  12345,
  [],
];

/** a string in a poll body other than the status word (the task id where it is one) */
function pollStringPointer(spec: ProviderSpec, body: unknown): string {
  const found: string[] = [];
  const walk = (node: unknown, at: string) => {
    if (typeof node === 'string' && at !== spec.x.lifecycle.statusPointer) found.push(at);
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k}`);
  };
  walk(body, '');
  return found.find((p) => p === spec.x.lifecycle.idPointer) ?? found[0]!;
}

/** every mention of the polled id in a successful poll answer becomes another id */
async function otherTask(res: Response, req: Request, x: Exchange): Promise<Response> {
  if (!isSuccess(x.spec, 'poll', res.status)) return res;
  const url = new URL(req.url);
  const asked = new Set([decodeURIComponent(url.pathname.split('/').at(-1)!), ...url.searchParams.values()]);
  const swap = (node: unknown): unknown =>
    typeof node === 'string' && asked.has(node)
      ? `${node}-other`
      : Array.isArray(node)
        ? node.map(swap)
        : node && typeof node === 'object'
          ? Object.fromEntries(Object.entries(node).map(([k, v]) => [k, swap(v)]))
          : node;
  return editJson(res, swap);
}

/** the mock's clock moved by something else than the advance a check asks for */
const clock = (edit: (ms: number) => number): Deviation => ({
  request: (req) =>
    new URL(req.url).pathname === '/__mock/clock'
      ? withBody(req, (b) => ({ advanceMs: edit(Number(b.advanceMs)) }))
      : req,
});

function withCredential(auth: Record<string, string>, operations: BreakOperation[]): Deviation {
  return {
    request: (req, x) => {
      if (!(operations as string[]).includes(x.operation)) return req;
      const headers = new Headers(req.headers);
      for (const [k, v] of Object.entries(auth)) headers.set(k, v);
      return new Request(req.url, { method: req.method, headers, body: req.body, duplex: 'half' } as RequestInit);
    },
  };
}

function setFields(fields: { pointer: string; value: unknown }[], whereMissing = false): Deviation {
  return onCreate((b) => {
    for (const f of fields) if (!whereMissing || getAt(b, f.pointer) === undefined) setAt(b, f.pointer, f.value);
    return b;
  });
}

/** The gateway departures that change the create a mock sees. */
function requestDeparture(spec: ProviderSpec, d: GatewayDeparture): Deviation | undefined {
  switch (d.gateway) {
    case 'accepts-invalid':
      return onCreate((b, s) => (compileValidators(s).request(b).errors.length ? exampleBody(s) : b));
    case 'creates-then-answers':
      return {
        request: async (req, x) =>
          x.operation === 'create' ? (await x.forward(await withBody(req, () => exampleBody(spec))), req) : req,
      };
    case 'sets-fields':
      return setFields(d.fields, d.whereMissing);
    case 'drops-fields':
      return onCreate((b) => {
        for (const p of d.pointers) deleteAt(b, p);
        return b;
      });
    case 'empties-create':
      return onCreate(() => ({}));
    case 'never-ends':
      return onCreate((b) => b, { 'x-mock-scenario': 'never' });
    case 'video-gone':
      return { request: (req, x) => (x.operation === 'video' ? new Response('gone', { status: 404 }) : req) };
    case 'stops-clock':
      return clock(() => 0);
    case 'skips-clock':
      return clock((ms) => ms + d.extraMs);
    default:
      return undefined;
  }
}

/** The gateway departures that change what the faithful mock answered. */
function responseDeparture(d: GatewayDeparture): Deviation {
  switch (d.gateway) {
    case 'retypes-field':
      return onResponse(d.operation, (res, _req, x) =>
        isSuccess(x.spec, d.operation, res.status)
          ? editJson(
              res,
              (b) => void setAt(b as Record<string, unknown>, d.pointer ?? pollStringPointer(x.spec, b), 12345),
            )
          : res,
      );
    case 'undocumented-error-bodies':
      return {
        response: (res, _req, x) => {
          if (res.status < 400) return res;
          const validate = compileValidators(x.spec).response(x.operation === 'poll' ? 'poll' : 'create', res.status);
          const body = UNDOCUMENTED_BODIES.find((b) => !validate || validate(b).errors.length > 0);
          return editJson(res, () => body ?? UNDOCUMENTED_BODIES[0]);
        },
      };
    case 'renames-status-words':
      return rewriteStatusWords(d.words);
    case 'video-as-html':
      return onResponse('video', async (res) =>
        res.status === 200
          ? new Response(await res.arrayBuffer(), { status: 200, headers: { 'content-type': 'text/html' } })
          : res,
      );
    case 'placeholder-task':
      return onResponse('create', () => Response.json({ id: 'task_1' }, { status: 200 }));
    case 'answers-other-task':
      return onResponse('poll', otherTask);
    case 'restatus':
      return onResponse(d.operation, (res) => (res.status === d.from ? editJson(res, (b) => b, d.to) : res));
    default:
      throw new Error(`the proof cannot build the departure ${JSON.stringify(d)}`);
  }
}

/** A declared breaker, built for one provider. */
export async function buildBreaker(spec: ProviderSpec, breaker: Breaker): Promise<BuiltBreaker> {
  if ('client' in breaker)
    return {
      adapter: ((await import(`../../fixtures/adapters/${breaker.client}.ts`)) as { adapter: ClientAdapter }).adapter,
    };
  if (breaker.gateway === 'adds-credential')
    return { deviation: withCredential(await authHeader(spec, { key: KEY, secret: SECRET }), breaker.operations) };
  return { deviation: requestDeparture(spec, breaker) ?? responseDeparture(breaker) };
}
