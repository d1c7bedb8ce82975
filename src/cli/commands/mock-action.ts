import type { Command } from 'commander';
import { systemClock } from '../../core/clock.ts';
import { HarnessError, EXIT } from '../../core/errors.ts';
import { formatTable, terminalWidth } from '../../core/table.ts';
import { loadAllSpecs, loadSpecById } from '../../spec/load-spec.ts';
import { startMocks, stopMocks } from '../../mock/start-mocks.ts';
import { parseIntFlag } from '../../core/parse-flags.ts';
import { readWebhookSettings } from '../../core/webhook-settings.ts';
import { assertWebhookPair } from '../../validate/webhook-settings.ts';
import { unconfiguredWebhook } from '../../validate/callback-url.ts';
import { MOCK_DEFAULT_CREDENTIAL } from '../../mock/check-auth.ts';
import { parseScenario } from '../../mock/scenarios.ts';
import type { MockOptions } from '../../mock/options.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { loadFaultPlan, type FaultPlan } from '../../faults/fault-plan.ts';
import { cutOnSecondSignal, nextSignal } from '../../core/stop-signals.ts';
function parseCredential(value: string): { accessKey: string; secretKey: string } {
  const at = value.indexOf(':');
  if (at <= 0 || at === value.length - 1)
    throw new HarnessError(
      'USAGE',
      '--credential takes access-key:secret-key (the value given has no colon between two parts; it is not shown)',
      { fix: 'pass e.g. --credential my-ak:my-sk (mock credentials, never real ones)' },
    );
  return { accessKey: value.slice(0, at), secretKey: value.slice(at + 1) };
}

/** --callback-retry-scale: a factor in (0, 1] (it compresses the documented schedule; it never stretches it). */
function retryScale(value: string): number {
  const factor = Number(value);
  if (!(value.trim() !== '' && factor > 0 && factor <= 1))
    throw new HarnessError('USAGE', `--callback-retry-scale must be a number above 0 and at most 1 (got ${value})`, {
      fix: 'use e.g. --callback-retry-scale 0.001 (10 s becomes 10 ms), or leave it out for the documented schedule',
    });
  return factor;
}

/** The flag that gives the mock's account each webhook setting a provider may need. */
const WEBHOOK_FLAG = { 'default-url': '--callback-default URL', secret: '--callback-secret S' };

interface MockFlags {
  provider?: string[];
  all?: boolean;
  port?: string;
  host: string;
  claims: string;
  schemaClaims: string;
  validKey?: string[];
  credential?: string[];
  rateLimit?: boolean;
  allowLoopbackCallbacks?: boolean;
  completeAfterPolls: string;
  callbackAllow?: string[];
  callbackDefault?: string;
  callbackSecret?: string;
  callbackPreviousSecret?: string;
  callbackRetryScale?: string;
  publicBaseUrl?: string;
  json?: boolean;
  record?: string;
  recordMaxBytes?: string;
  faults?: string;
  seed: string;
}

/** --record and --faults: the recording and the per-client fault plan (checked here: bad steps are exit 2). */
function trafficOptions(flags: MockFlags): Pick<MockOptions, 'record' | 'faults'> {
  const seed = parseIntFlag('--seed', flags.seed);
  const maxBytes = flags.recordMaxBytes ? parseIntFlag('--record-max-bytes', flags.recordMaxBytes) : undefined;
  const plan = flags.faults;
  return {
    ...(flags.record ? { record: { file: flags.record, maxBytes } } : {}),
    ...(plan ? { faults: (spec: ProviderSpec) => checkedPlan(loadFaultPlan(plan, spec, seed)) } : {}),
  };
}

function checkedPlan(plan: FaultPlan): FaultPlan {
  plan.faults.forEach((f, i) => {
    try {
      parseScenario(f.step);
    } catch (err) {
      throw new HarnessError('INPUT', `fault plan ${plan.name}: ${(err as Error).message}`, {
        file: plan.name,
        pointer: `/faults/${i}/step`,
        fix: 'use a scenario step (mock --help lists them)',
      });
    }
  });
  return plan;
}

export async function serveMocks(program: Command, flags: MockFlags): Promise<number> {
  if (!flags.all && !flags.provider?.length)
    throw new HarnessError('USAGE', 'say which providers to serve', { fix: 'pass --provider <id> or --all' });
  if (flags.claims !== 'mock' && flags.claims !== 'other')
    throw new HarnessError('USAGE', `--claims must be mock or other (got ${flags.claims})`, {
      fix: 'use --claims mock or --claims other',
    });
  const webhook = readWebhookSettings(flags);
  const callbackRetry =
    flags.callbackRetryScale === undefined ? {} : { callbackRetryScale: retryScale(flags.callbackRetryScale) };
  const specsDir = program.opts().specs;
  const specs = flags.all
    ? await loadAllSpecs(specsDir)
    : await Promise.all(flags.provider!.map((id) => loadSpecById(id, specsDir)));
  assertWebhookPair(specs, webhook);
  const port = flags.port === undefined ? undefined : Number(flags.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
    throw new HarnessError('USAGE', `--port must be a port number (got ${flags.port})`, {
      fix: 'use e.g. --port 8080',
    });
  const mocks = await startMocks(
    specs,
    {
      clock: systemClock,
      claims: flags.claims,
      schemaClaims: flags.schemaClaims === 'other' ? 'other' : 'mock',
      validKeys: flags.validKey,
      credentials: flags.credential?.map(parseCredential),
      rateLimit: Boolean(flags.rateLimit),
      allowLoopbackCallbacks: Boolean(flags.allowLoopbackCallbacks),
      completeAfterPolls: parseIntFlag('--complete-after-polls', flags.completeAfterPolls),
      callbackAllow: flags.callbackAllow,
      ...webhook,
      ...callbackRetry,
      publicBaseUrl: flags.publicBaseUrl,
      ...trafficOptions(flags),
    },
    { first: port, host: flags.host },
  );
  if (flags.record) process.stderr.write(`recording to ${flags.record} (journal ${flags.record}.jsonl until stop)\n`);
  if (flags.json) console.log(JSON.stringify(Object.fromEntries(mocks.map((m) => [m.provider, m.url]))));
  else
    console.log(
      formatTable(
        ['provider', 'base URL', 'create', 'poll'],
        mocks.map((m) => {
          const spec = specs.find((s) => s.id === m.provider)!;
          return [
            m.provider,
            m.url,
            `${spec.create.method} ${m.url}${spec.create.path}`,
            `${spec.poll.method} ${m.url}${spec.poll.path}`,
          ];
        }),
        terminalWidth(),
      ),
    );
  writeClientHints(specs, flags);
  process.stderr.write('Ctrl-C to stop.\n');
  const first = nextSignal();
  await first.arrived;
  first.cancel();
  // the requests in flight are answered (a second Ctrl-C: at once, 503), then the recordings closed
  // (a third signal is held until the recordings are closed: its default action would end the mock without them)
  const stop = cutOnSecondSignal(undefined, undefined, (signal) =>
    process.stderr.write(`${signal}: the mocks are stopping; closing their recordings\n`),
  );
  process.stderr.write('mocks stopping: the requests in flight are answered (Ctrl-C again to answer them 503 now)\n');
  await stopMocks(mocks, { cutNow: stop.cutNow });
  stop.done();
  process.stderr.write('mocks stopped\n');
  return EXIT.OK;
}

/** What a client of these mocks must know that the table does not say: which pair signs, which settings lack. */
function writeClientHints(specs: ProviderSpec[], flags: MockFlags): void {
  // a token-signing provider is useless to a client that does not know which pair signs (mock credentials, not secrets)
  for (const spec of specs.filter((s) => s.x.auth.credential.kind === 'jwt')) {
    const pairs = flags.credential ?? [`${MOCK_DEFAULT_CREDENTIAL.accessKey}:${MOCK_DEFAULT_CREDENTIAL.secretKey}`];
    process.stderr.write(
      `${spec.id}: send ${spec.x.auth.header}: ${spec.x.auth.prefix}<a JWT signed ` +
        `with one of: ${pairs.join(', ')} (access key:secret key)>\n`,
    );
  }
  // a provider that documents signed callbacks: say what the mock's deliveries carry (a receiver verifies them)
  for (const spec of specs.filter((s) => s.x.callbacks?.signature && flags.callbackSecret)) {
    const s = spec.x.callbacks!.signature!;
    process.stderr.write(
      `${spec.id}: callbacks carry ${[s.idHeader, s.timestampHeader, s.header].filter(Boolean).join(', ')}: ` +
        `${s.value}, ${s.algorithm} with --callback-secret over ${s.signedBytes}\n`,
    );
  }
  // a provider that refuses callback URLs without webhook settings: say which settings this account lacks
  for (const spec of specs) {
    const unconfigured = unconfiguredWebhook(spec, flags);
    if (unconfigured)
      process.stderr.write(
        `${spec.id}: a callback URL gets ${unconfigured.status} ${unconfigured.code} (the account lacks ` +
          `${unconfigured.missing.map((m) => WEBHOOK_FLAG[m]).join(' and ')})\n`,
      );
  }
}
