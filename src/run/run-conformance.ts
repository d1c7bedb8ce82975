import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';
import { VirtualClock } from '../core/clock.ts';
import { HarnessError } from '../core/errors.ts';
import { registerSecret } from '../core/redact.ts';
import type { Target } from '../checks/types.ts';
import { loadSpecById } from '../spec/load-spec.ts';
import { startMocks, stopMocks, type RunningMock } from '../mock/start-mocks.ts';
import type { MockDeviations } from '../mock/options.ts';
import { buildResults, type RunResults } from '../report/build-results.ts';
import { checkReachable } from './check-reachable.ts';
import { ResultCollector } from './result-collector.ts';
import type { RunConfig } from './run-config.ts';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MOCK_KEY_ENV = 'KLING_CONFORMANCE_MOCK_KEY';

export interface RunOptions {
  providers: string[];
  target: Target;
  /** live: provider id -> base URL */
  baseUrls?: Record<string, string>;
  /** live: the environment variable that holds the key (never the key itself) */
  apiKeyEnv?: string;
  seed?: number;
  allowPaid?: boolean;
  timeoutSeconds?: number;
  pollIntervalMs?: number;
  specsDir: string;
  clientModule?: string;
  families?: string[];
  concurrency?: number;
  /** mock target: follow the other claim where documents disagree */
  mockClaims?: 'mock' | 'other';
  /** mock target: deliberate departures, to see checks fail */
  mockDeviations?: MockDeviations;
  /** where junit.xml goes (vitest's own JUnit reporter writes it) */
  junitFile: string;
}

/**
 * The main job: start mocks (or check the live targets), drive the vitest suites over every provider and
 * check, collect one CheckResult per (provider, check), stop what was started.
 */
export async function runConformance(options: RunOptions): Promise<RunResults> {
  const startedAt = new Date().toISOString();
  const runId = `${startedAt.replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
  const specs = await Promise.all(options.providers.map((id) => loadSpecById(id, options.specsDir)));
  let mocks: RunningMock[] = [];
  let apiKeyEnv = options.apiKeyEnv ?? MOCK_KEY_ENV;
  try {
    let providers: RunConfig['providers'];
    if (options.target === 'mock') {
      const key = `kc-mock-${randomBytes(12).toString('hex')}`;
      apiKeyEnv = MOCK_KEY_ENV;
      process.env[MOCK_KEY_ENV] = key;
      registerSecret(key);
      mocks = await startMocks(specs, { clock: new VirtualClock(Date.now()), validKeys: [key], claims: options.mockClaims, deviations: options.mockDeviations });
      providers = mocks.map((m) => ({ id: m.provider, baseUrl: m.url }));
    } else {
      const key = process.env[apiKeyEnv];
      if (!options.apiKeyEnv || !key) throw new HarnessError('CONFIG', `live runs read the API key from an environment variable${options.apiKeyEnv ? `, and ${options.apiKeyEnv} is not set` : ''}`, { fix: 'export the key in a variable (export KLING_API_KEY=…) and pass --api-key-env KLING_API_KEY' });
      registerSecret(key);
      providers = specs.map((s) => {
        const url = options.baseUrls?.[s.id] ?? options.baseUrls?.['*'];
        if (!url) throw new HarnessError('CONFIG', `no base URL for ${s.id}`, { fix: `pass --base-url URL (one provider) or --base-url ${s.id}=URL` });
        return { id: s.id, baseUrl: url };
      });
      await Promise.all(providers.map((p) => checkReachable(p.baseUrl)));
    }
    const config: RunConfig = {
      runId,
      target: options.target,
      providers,
      apiKeyEnv,
      allowPaid: options.target === 'mock' || Boolean(options.allowPaid),
      timeoutSeconds: options.timeoutSeconds ?? 600,
      pollIntervalMs: options.pollIntervalMs ?? 5000,
      seed: options.seed ?? 1,
      specsDir: options.specsDir,
      clientModule: options.clientModule,
      families: options.families,
      concurrency: options.concurrency ?? 4,
    };
    const collector = new ResultCollector();
    const vitest = await startVitest('test', [], {
      root: PACKAGE_ROOT,
      config: join(PACKAGE_ROOT, 'suites/vitest.config.ts'),
      run: true,
      watch: false,
      reporters: [collector, ['junit', { outputFile: options.junitFile, suiteName: `kling-conformance ${options.target}` }]],
      provide: { run: config },
    } as never);
    await vitest.close();
    if (collector.crashed.length) {
      throw new HarnessError('CONFIG', `the suites could not run: ${collector.crashed.map((c) => `${c.test}: ${c.error}`).join('; ')}`, { fix: 'check --client and --specs; this is a harness problem, not a provider finding' });
    }
    const version = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    return buildResults(
      { id: runId, target: options.target, providers, seed: config.seed, startedAt, endedAt: new Date().toISOString(), allowPaid: config.allowPaid, client: options.clientModule ?? 'reference', mockClaims: options.target === 'mock' ? (options.mockClaims ?? 'mock') : undefined },
      collector.results,
      version,
    );
  } finally {
    await stopMocks(mocks);
  }
}
