import { randomBytes } from 'node:crypto';
import { VirtualClock } from '../core/clock.ts';
import { HarnessError } from '../core/errors.ts';
import { registerSecret } from '../core/redact.ts';
import { startMocks, type RunningMock } from '../mock/start-mocks.ts';
import { credentialEnv } from '../spec/auth.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { RunConfig } from '../worker/run-config.ts';
import { checkCreateRoute } from './check-create-route.ts';
import { checkReachable } from './check-reachable.ts';
import { REACHABILITY_PROBE, ROUTE_PROBE, type SentBeforeChecks } from './before-checks.ts';
import type { ExchangeSummary } from '../checks/probes/exchange-summary.ts';
import type { RunOptions } from './run-conformance.ts';

// Where a run's checks are sent: the mocks it starts, or the live gateways named, with the credentials for each.

export const MOCK_KEY_ENV = 'KLING_CONFORMANCE_MOCK_KEY';
export const MOCK_SECRET_ENV = 'KLING_CONFORMANCE_MOCK_SECRET';

export /** Where the targets are and which variables hold their credentials (the values reach workers through `env`). */
interface Targets {
  providers: RunConfig['providers'];
  apiKeyEnv: string;
  secretKeyEnv?: string;
  /** variables the workers get on top of this process's environment (the mocks' fresh keys) */
  workerEnv: Record<string, string>;
  mocks: RunningMock[];
  /** live: the base URL whose reachability probe the run's deadline cut (it had not answered by then) */
  cutProbe?: string;
  /** live: the requests sent before the checks (see before-checks.ts), and the route probes' answers by provider */
  sentBeforeChecks?: SentBeforeChecks[];
  routeProbes?: Record<string, ExchangeSummary>;
}

/** Mock target: one mock per provider, accepting only a fresh key (or access key and secret key) made for this run. */
export async function startMockTargets(specs: ProviderSpec[], options: RunOptions): Promise<Targets> {
  const key = `kc-mock-${randomBytes(12).toString('hex')}`;
  const secret = `kc-mock-secret-${randomBytes(12).toString('hex')}`;
  registerSecret(key);
  registerSecret(secret);
  const mocks = await startMocks(specs, {
    clock: new VirtualClock(Date.now()),
    validKeys: [key],
    credentials: [{ accessKey: key, secretKey: secret }],
    claims: options.mockClaims,
    // the account's webhook settings, given (--callback-default, --callback-secret): the mocks' too
    callbackDefault: options.callbackDefault,
    callbackSecret: options.callbackSecret,
    callbackPreviousSecret: options.callbackPreviousSecret,
  });
  return {
    providers: mocks.map((m) => ({ id: m.provider, baseUrl: m.url })),
    apiKeyEnv: MOCK_KEY_ENV,
    secretKeyEnv: MOCK_SECRET_ENV,
    workerEnv: { [MOCK_KEY_ENV]: key, [MOCK_SECRET_ENV]: secret },
    mocks,
  };
}

/** Live target: the key (and secret key) from the variables named, a base URL per provider, each one reachable. */
export async function liveTargets(specs: ProviderSpec[], options: RunOptions, deadlineAt: number): Promise<Targets> {
  const { apiKeyEnv, secretKeyEnv } = liveCredentials(specs, options);
  const providers = specs.map((s) => {
    const url = options.baseUrls?.[s.id] ?? options.baseUrls?.['*'];
    if (!url)
      throw new HarnessError('CONFIG', `no base URL for ${s.id}`, {
        fix: `pass --base-url URL (one provider) or --base-url ${s.id}=URL`,
      });
    return { id: s.id, baseUrl: url };
  });
  const probes = await Promise.all(providers.map((p) => checkReachable(p.baseUrl, options.headers, deadlineAt)));
  const cutProbe = providers.find((_, i) => probes[i] === 'deadline')?.baseUrl;
  const sent: SentBeforeChecks[] = providers.map((p, i) => ({
    provider: p.id,
    check: REACHABILITY_PROBE,
    method: 'GET',
    url: p.baseUrl,
    ...(probes[i] === 'deadline' ? { error: 'deadline' } : {}),
  }));
  // reachable is not enough: the documented create route must be there (a wrong path prefix 404s everything)
  const routes = cutProbe
    ? []
    : await Promise.all(specs.map((s, i) => checkCreateRoute(s, providers[i]!.baseUrl, options.headers, deadlineAt)));
  for (const [i, r] of routes.entries()) if (r) sent.push({ provider: specs[i]!.id, check: ROUTE_PROBE, ...sentOf(r) });
  // an answered probe is the no-key create's evidence: auth.missing_key does not send it again
  const routeProbes = Object.fromEntries(
    routes.flatMap((r, i) => (r?.status !== undefined && !r.error ? [[specs[i]!.id, r]] : [])),
  );
  return {
    providers,
    apiKeyEnv,
    secretKeyEnv,
    workerEnv: {},
    mocks: [],
    sentBeforeChecks: sent,
    routeProbes,
    ...(cutProbe ? { cutProbe } : {}),
  };
}

const sentOf = (r: ExchangeSummary) => ({
  method: r.method,
  url: r.url,
  ...(r.status !== undefined ? { status: r.status } : {}),
  ...(r.error ? { error: r.error } : {}),
});

/** The variables holding the live key and secret key: named by the flags, else by the first spec's auth scheme. */
export function liveCredentials(
  specs: ProviderSpec[],
  options: RunOptions,
): { apiKeyEnv: string; secretKeyEnv?: string } {
  if (options.apiKeyEnv && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.apiKeyEnv)) {
    // never echo it: it may be the key itself, pasted where the variable's name belongs
    registerSecret(options.apiKeyEnv);
    throw new HarnessError(
      'USAGE',
      '--api-key-env takes the name of an environment variable; the value given looks ' +
        'like a key, not a variable name (it is not shown)',
      {
        fix:
          'export KLING_API_KEY=<your key> and pass --api-key-env KLING_API_KEY; if that ' +
          'was your key, consider it exposed in your shell history and rotate it',
      },
    );
  }
  const declared = credentialEnv(specs[0]!);
  const apiKeyEnv = options.apiKeyEnv ?? declared.key;
  const secretKeyEnv = options.secretKeyEnv ?? declared.secret;
  const key = process.env[apiKeyEnv];
  if (!key)
    throw new HarnessError(
      'CONFIG',
      `live runs read the API key from an environment variable, and ${apiKeyEnv} is not set`,
      {
        fix: `export ${apiKeyEnv}=<your key>, or name another variable with --api-key-env VAR`,
      },
    );
  registerSecret(key);
  if (specs.some((s) => s.x.auth.credential.kind === 'jwt')) {
    const secret = secretKeyEnv ? process.env[secretKeyEnv] : undefined;
    if (!secret)
      throw new HarnessError(
        'CONFIG',
        `this provider's requests carry a token signed with a secret key, and ` +
          `${secretKeyEnv ?? 'no secret key variable'} is ${secretKeyEnv ? 'not set' : 'named'}`,
        {
          fix:
            `export ${secretKeyEnv ?? 'KLING_SECRET_KEY'}=<your secret key>, or name ` +
            `another variable with --secret-key-env VAR`,
        },
      );
    registerSecret(secret);
  }
  return { apiKeyEnv, secretKeyEnv };
}
