import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.ts';
import { loadFaultPlan } from '../../src/faults/fault-plan.ts';
import { startMocks, stopMocks } from '../../src/mock/start-mocks.ts';
import { loadSpecById } from '../../src/spec/load-spec.ts';
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
