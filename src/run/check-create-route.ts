import { documentedErrorFindings, failing } from '../checks/definitions/documented-error.ts';
import { exampleBody } from '../checks/probes/request-bodies.ts';
import { summarise, type ExchangeSummary } from '../checks/probes/exchange-summary.ts';
import { GatewayClient } from '../client/gateway-client.ts';
import { HarnessError } from '../core/errors.ts';
import { documentedServer } from '../spec/documented-server.ts';
import type { ProviderSpec } from '../spec/model.ts';

/** The longest the route probe waits for its answer, whatever --timeout allows. */
const PROBE_TIMEOUT_MS = 10_000;

/** Answers that say nothing is served at a path (or not for POST): what a wrong base URL gets. */
const NOT_SERVED = new Set([404, 405]);

/**
 * A live target must serve the provider's documented create route: else every check would judge whatever answers
 * at the base URL (a router's 404 to every path reads like a documented "unknown task" 404). Probed with the request
 * auth.missing_key sends — the documented example, without a credential: free (no account to bill) on any gateway.
 * A 404 or 405 is the harness's error (TARGET_NOT_FOUND, exit 2) unless the documents give that status for the create
 * and the body is the documented one. No answer in time, or any other status, is left to the checks to judge. The
 * answer is returned: it is auth.missing_key's evidence (see before-checks.ts), that check does not send it again.
 */
export async function checkCreateRoute(
  spec: ProviderSpec,
  baseUrl: string,
  headers?: Record<string, string>,
  deadlineAt = Number.POSITIVE_INFINITY,
): Promise<ExchangeSummary | undefined> {
  if (Date.now() >= deadlineAt) return undefined;
  const timeoutMs = Math.max(1, Math.min(PROBE_TIMEOUT_MS, deadlineAt - Date.now()));
  const client = new GatewayClient(spec, { baseUrl, retry: false, timeoutMs, deadlineAt, headers });
  const answer = await client.createTask(exampleBody(spec), { auth: 'missing', retry: false });
  if (answer.status === undefined || !NOT_SERVED.has(answer.status) || answer.error) return summarise(answer);
  if (documentedCreateAnswer(spec, answer.status, answer)) return summarise(answer);
  throw targetNotFound(spec, baseUrl, answer);
}

/** The documents give this status for a create, and the answer has its documented body and code. */
function documentedCreateAnswer(
  spec: ProviderSpec,
  status: number,
  answer: { body?: unknown; text?: string; headers?: Record<string, string> },
): boolean {
  return (
    String(status) in spec.create.responses && !failing(documentedErrorFindings(spec, 'create', status, answer)).length
  );
}

function targetNotFound(
  spec: ProviderSpec,
  baseUrl: string,
  answer: { url: string; status?: number; headers: Record<string, string> },
): HarnessError {
  const server = documentedServer(spec);
  const type = answer.headers['content-type']?.split(';')[0];
  return new HarnessError(
    'TARGET_NOT_FOUND',
    `${baseUrl} does not serve ${spec.id}: POST ${answer.url} (its documented create route, sent without a key) ` +
      `answered ${answer.status}${type ? ` ${type}` : ''}, which its documents do not give for a create; ` +
      'nothing was tested',
    {
      fix:
        `check --base-url: ${spec.id}'s documented server is ${server ?? '(none: its documents print no server)'}; ` +
        `the base URL is what comes before ${spec.create.path} in the create URL the gateway documents`,
    },
  );
}
