import { sourceText } from '../sources.ts';
import { exampleBody } from '../probes/request-bodies.ts';
import { observeCreate, type RequestObservation } from '../probes/request-probes.ts';
import type { CheckDefinition } from '../types.ts';
import { evaluateRejection } from './rejections.ts';

const authSource = (spec: Parameters<typeof sourceText>[0]) => sourceText(spec, (spec.raw as { components?: { securitySchemes?: { bearer?: { 'x-source'?: never } } } }).components?.securitySchemes?.bearer?.['x-source']);

export const authChecks: CheckDefinition<RequestObservation>[] = [
  {
    id: 'auth.missing_key',
    family: 'auth',
    title: 'a create without an Authorization header gets the documented 401 and creates no task',
    cost: 'free',
    target: 'any',
    probe: (ctx) => observeCreate(ctx, 'auth.missing_key', exampleBody(ctx.spec), { apiKey: null }),
    evaluate: (spec, obs) => evaluateRejection(spec, obs, 401, authSource(spec)),
  },
  {
    id: 'auth.invalid_key',
    family: 'auth',
    title: 'a create with an invalid key gets the documented 401 and creates no task',
    cost: 'free',
    target: 'any',
    probe: (ctx) => observeCreate(ctx, 'auth.invalid_key', exampleBody(ctx.spec), { apiKey: 'kc-invalid-key-0000000000' }),
    evaluate: (spec, obs) => evaluateRejection(spec, obs, 401, authSource(spec)),
  },
];
