import { isDeepStrictEqual } from 'node:util';
import { exampleBody } from '../probes/request-bodies.ts';
import { observeCreate, type RequestObservation } from '../probes/request-probes.ts';
import { requestIdsOf } from '../probes/exchange-summary.ts';
import { sourceText } from '../sources.ts';
import type { CheckDefinition } from '../types.ts';

export const availabilityChecks: CheckDefinition<RequestObservation>[] = [
  {
    id: 'availability.placeholder',
    family: 'availability',
    title: 'a model documented as not available answers as such and creates no task',
    cost: 'free',
    target: 'any',
    notApplicable: (spec) => (spec.x.availability.state === 'available' ? 'the model is documented as available (shape.create covers it)' : undefined),
    probe: (ctx) => observeCreate(ctx, 'availability', exampleBody(ctx.spec)),
    evaluate: (spec, obs) => {
      const expected = spec.x.availability.response!;
      const same = obs.response.status === expected.status && isDeepStrictEqual(obs.response.body, expected.body);
      const created = (obs.tasksCreated ?? 0) > 0;
      return {
        status: same && !created ? 'pass' : 'fail',
        message: same && !created ? 'answers as a model that is not available yet' : created ? 'created a task for a model documented as not available' : `answered ${obs.response.status} ${JSON.stringify(obs.response.body)}`,
        expected: { status: expected.status, body: expected.body },
        observed: { status: obs.response.status, body: obs.response.body, tasksCreated: obs.tasksCreated },
        source: sourceText(spec, spec.x.availability.claims[0]!.source),
        requestIds: requestIdsOf(obs.response),
        warnings: expected.inferred ? ['the unavailable-model body is inferred, not documented'] : undefined,
      };
    },
  },
];
