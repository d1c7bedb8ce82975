// Shared by the mock's HTTP test files (mock-http.test.ts, mock-http-faults.test.ts): the shipped specs, a mock
// started behind either adapter of the mock core with a client holding its default credential, and what the cases
// build on. Test code only (not built, not bound by the stage rule).
import { afterEach, beforeAll } from 'vitest';
import { authHeader } from '../client/auth-header.ts';
import { GatewayClient } from '../client/gateway-client.ts';
import { VirtualClock } from '../core/clock.ts';
import { loadAllSpecs } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { successStatuses } from '../spec/operations.ts';
import { MOCK_DEFAULT_CREDENTIAL } from './check-auth.ts';
import type { MockOptions } from './options.ts';
import { startMocks, stopMocks, type RunningMock } from './start-mocks.ts';

/** the mock core behind both of its adapters: the node:http route table and msw's handlers — the same suite */
export const ADAPTERS = ['routes', 'msw'] as const;
let adapter: (typeof ADAPTERS)[number] = 'routes';
export const useAdapter = (which: (typeof ADAPTERS)[number]): void => {
  adapter = which;
};

let specs: ProviderSpec[] = [];
const running: RunningMock[] = [];

/** Loads the specs before a file's tests and stops its mocks after each test. */
export function useMockHarness(): void {
  beforeAll(async () => {
    specs = await loadAllSpecs();
  });
  afterEach(async () => {
    await stopMocks(running.splice(0));
  });
}

export const allSpecs = (): ProviderSpec[] => specs;
export const byId = (id: string): ProviderSpec => specs.find((s) => s.id === id)!;
export const available = (): ProviderSpec[] => specs.filter((s) => s.x.availability.state === 'available');
export const each = (fn: (spec: ProviderSpec) => Promise<void>) => async (): Promise<void> => {
  for (const spec of available()) await fn(spec);
};

/** The auth header a client holding the mock's default credential sends, as the spec's scheme says. */
export const authFor = (spec: ProviderSpec) =>
  authHeader(spec, { key: MOCK_DEFAULT_CREDENTIAL.accessKey, secret: MOCK_DEFAULT_CREDENTIAL.secretKey });
export const created = (spec: ProviderSpec): number => successStatuses(spec, 'create')[0]!;
/** A body the provider documents as valid: its first example. */
export const validBody = (spec: ProviderSpec) =>
  structuredClone(spec.create.examples[0]!.value) as Record<string, unknown>;

/** One provider's mock behind the current adapter, on a virtual clock, and a client for it (no retries). */
export async function mockOf(spec: ProviderSpec, options: MockOptions = {}) {
  const clock = new VirtualClock(Date.UTC(2026, 10, 24));
  const [mock] = await startMocks([spec], { clock, ...options }, { adapter });
  running.push(mock!);
  const client = new GatewayClient(spec, {
    baseUrl: mock!.url,
    apiKey: MOCK_DEFAULT_CREDENTIAL.accessKey,
    secretKey: MOCK_DEFAULT_CREDENTIAL.secretKey,
    clock: new VirtualClock(0, { autoAdvance: true }),
    retry: false,
  });
  return { mock: mock!, client, clock };
}
