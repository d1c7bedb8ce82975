import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.ts';
import { loadFaultPlan } from '../../src/faults/fault-plan.ts';
import { startMocks, stopMocks } from '../../src/mock/start-mocks.ts';
import { MOCK_DEFAULT_CREDENTIAL } from '../../src/mock/default-credential.ts';
import { loadSpecById } from '../../src/spec/load-spec.ts';
import type { ProviderSpec } from '../../src/spec/model.ts';
import { resultOperation, taskOperation } from '../../src/spec/operations.ts';
import { requestFor } from '../../src/testing/request-builder.ts';
import { expiresAtPointer } from '../../src/traffic/traffic-model.ts';
import { tempFolder } from './temp-folder.ts';

/** How to run a fixture client: the command, and the environment it needs beside KC_BASE_URL. */
export interface FixtureClient {
  command: string[];
  env?: Record<string, string>;
}

/** A provider's API as the fixture clients are told it (their settings come from the environment). */
export const CLIENT_ENV: Record<string, Record<string, string>> = {
  'evolink-kling-v3-t2v': { KC_MODEL: 'kling-v3-text-to-video', KC_POLL_PATH: '/v1/tasks/{id}' },
  'toapis-kling-3.0-turbo': { KC_MODEL: 'kling-3.0-turbo', KC_POLL_PATH: '/v1/videos/generations/{id}' },
};

export const PYTHON = (script: string): string[] => ['python3', `fixtures/clients/python/${script}`];

/** The good fixture client in each language, as its users run it (the TypeScript one sleeps for real). */
export const GOOD_CLIENTS: Record<'python' | 'shell' | 'typescript', FixtureClient> = {
  python: { command: PYTHON('good_client.py') },
  // its jitter (POSIX's sample rand()) draws 763 / 1098 ms from seed 2: apart by more than the check's 100 ms plus
  // a loaded machine's sleep noise (seed 1 draws 1006 / 837 ms)
  shell: { command: ['sh', 'fixtures/clients/shell/good_client.sh'], env: { KC_SEED: '2' } },
  typescript: { command: [process.execPath, '--import', 'tsx', 'fixtures/clients/ts/good-client.ts'] },
};

/**
 * One recorded session: a mock of `provider` on real time, recording to a HAR, with fault plan `plan`; the client
 * runs against it to its end, then the mock stops (and assembles the HAR). Returns the HAR's path and the client's
 * output.
 */
export async function recordSession(
  provider: string,
  plan: string,
  client: FixtureClient,
): Promise<{ har: string; code: number | null; output: string }> {
  const spec = await loadSpecById(provider);
  const har = join(tempFolder('kc-session-'), 'session.har');
  const [mock] = await startMocks([spec], {
    clock: systemClock,
    completeAfterPolls: 2,
    record: { file: har },
    faults: loadFaultPlan(plan, spec, 1),
  });
  try {
    // KC_SEED: the clients' jitter draws are repeatable (seed 1 draws waits that differ by 300+ ms)
    const env = { KC_BASE_URL: mock!.url, KC_SEED: '1', ...CLIENT_ENV[provider], ...client.env };
    const run = await runClient(client, env);
    return { har, ...run };
  } finally {
    await stopMocks([mock!]);
  }
}

function runClient(
  client: FixtureClient,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = client.command;
    const child = spawn(cmd!, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * What the generic good Python client is told about a provider, all read from its spec (no provider named here):
 * where to create and with which documented bodies (one per job, prompts apart), which statuses mean success, how
 * to authenticate (a minted JWT where the spec says so, against the mock's default credential), where the id,
 * status, result link and expiry sit in the answers, which status words end a task, and where to poll (a path
 * template, or a URL the create answer gives).
 */
export function clientProfile(spec: ProviderSpec): Record<string, string> {
  const x = spec.x;
  const life = x.lifecycle;
  const words = (phase: 'succeeded' | 'failed') => [
    ...(life[phase] ? [life[phase]!] : []),
    ...(life.extraStatuses ?? []).filter((e) => e.phase === phase).map((e) => e.value),
  ];
  const poll = taskOperation(spec, 'poll')!;
  const pollPath =
    poll.decl.taskId.in === 'query'
      ? `${poll.model.path}?${poll.decl.taskId.name}={id}`
      : poll.model.path.replace(`{${poll.decl.taskId.name}}`, '{id}');
  const result = resultOperation(spec) === 'result' ? taskOperation(spec, 'result') : undefined;
  const prompts = [
    'a red fox at dawn',
    'a paper boat on a river',
    'a lighthouse in fog',
    'a cat on a windowsill',
    'a kite',
  ];
  const callback = x.callbacks?.field;
  const bodies = prompts.map((prompt) => {
    const body = requestFor(spec, { prompt });
    if (callback) delete body[callback.replace(/^\//, '')];
    return body;
  });
  const jwt = x.auth.credential.kind === 'jwt';
  return {
    KC_CREATE_PATH: spec.create.path,
    KC_CREATE_OK: (x.operations.create.success ?? [200]).join(','),
    KC_POLL_OK: (poll.decl.success ?? [200]).join(','),
    KC_CREATE_BODIES: JSON.stringify(bodies),
    KC_AUTH_HEADER: x.auth.header,
    KC_AUTH_PREFIX: x.auth.prefix,
    ...(jwt ? { KC_API_KEY: MOCK_DEFAULT_CREDENTIAL.accessKey, KC_JWT_SECRET: MOCK_DEFAULT_CREDENTIAL.secretKey } : {}),
    KC_ID_POINTERS: [life.idPointer, ...(life.idFallbackPointers ?? [])].filter(Boolean).join(','),
    KC_STATUS_POINTERS: [life.statusPointer, ...(life.statusFallbackPointers ?? [])].join(','),
    KC_TERMINAL: [...words('succeeded'), ...words('failed')].join(','),
    KC_FAILED: words('failed').join(',') || '-',
    KC_RESULT_POINTER: life.resultUrlPointer,
    KC_EXPIRES_POINTER: expiresAtPointer(spec) ?? '/expires_at',
    ...(poll.decl.urlFrom ? { KC_POLL_URL_POINTER: poll.decl.urlFrom } : { KC_POLL_PATH: pollPath }),
    ...(result?.decl.urlFrom ? { KC_RESULT_OP_POINTER: result.decl.urlFrom } : {}),
  };
}
