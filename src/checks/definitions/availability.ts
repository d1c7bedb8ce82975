import { isDeepStrictEqual } from 'node:util';
import { exampleBody } from '../probes/request-bodies.ts';
import { observeCreate, type RequestObservation } from '../probes/request-probes.ts';
import { requestIdsOf, unansweredVerdict } from '../probes/exchange-summary.ts';
import { sourceText } from '../sources.ts';
import type { CheckDefinition, Finding } from '../types.ts';

export const availabilityChecks: CheckDefinition<RequestObservation>[] = [
  {
    id: 'availability.placeholder',
    family: 'availability',
    title: 'a model documented as not available answers as such and creates no task',
    cost: 'free',
    target: 'any',
    notApplicable: (spec) =>
      spec.x.availability.state === 'available'
        ? 'the model is documented as available (shape.create covers it)'
        : undefined,
    probe: (ctx) => observeCreate(ctx, 'availability', exampleBody(ctx.spec)),
    // a gateway that makes a task anyway
    breakers: () => [{ gateway: 'placeholder-task' }],
    evaluate: (spec, obs) => {
      const expected = spec.x.availability.response!;
      const { status, body } = obs.response;
      const source = sourceText(spec, spec.x.availability.claims[0]!.source);
      const requestIds = requestIdsOf(obs.response);
      const unanswered = unansweredVerdict(obs.response);
      if (unanswered || status === undefined) return { ...unanswered!, source };
      const accepted = status >= 200 && status < 300;
      const findings: Finding[] = [];
      // a 2xx for a model documented as unavailable is a task, and a live gateway bills it
      if (accepted || (obs.tasksCreated ?? 0) > 0)
        findings.push({
          kind: 'availability',
          message: `created a task for a model documented as not available (answered ${status})`,
          expected: expected.status,
          observed: status,
          source,
          requestIds,
          billableTasks: accepted ? 1 : undefined,
        });
      else if (status !== expected.status || !isDeepStrictEqual(body, expected.body)) {
        findings.push({
          kind: status !== expected.status ? 'status' : 'shape',
          message: `answered ${status} ${JSON.stringify(body ?? obs.response.text)?.slice(0, 200)}`,
          expected: { status: expected.status, body: expected.body },
          observed: { status, body },
          source,
          requestIds,
          inferred: Boolean(expected.inferred),
        });
      }
      return {
        status: findings.length ? 'fail' : 'pass',
        message: findings.length
          ? findings.map((f) => f.message).join('; ')
          : 'answers as a model that is not available yet',
        findings,
        expected: { status: expected.status, body: expected.body },
        observed: { status: obs.response.status, body: obs.response.body, tasksCreated: obs.tasksCreated },
        source: sourceText(spec, spec.x.availability.claims[0]!.source),
        requestIds: requestIdsOf(obs.response),
        warnings: expected.inferred ? ['the unavailable-model body is inferred, not documented'] : undefined,
      };
    },
  },
];
