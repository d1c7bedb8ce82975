// A run whose deadline passes before any check starts (a loaded machine's start-up, a reachability probe the deadline
// cuts) still ends with its report: every planned check `error` with the reason, never a harness error. Before the
// fix a probe cut by the deadline threw TARGET_UNREACHABLE and the CLI wrote no report.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultSpecsDir } from '../spec/load-spec.ts';
import { runConformance } from './run-conformance.ts';

let server: Server | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
});

describe('runConformance at its deadline before any check', () => {
  it('a gateway that never answers the probe: every check is error: deadline, with the reason', async () => {
    // accepts the connection, never answers (GET / included)
    let probed = false;
    server = createServer(() => void (probed = true));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    vi.stubEnv('KC_DEADLINE_START_KEY', 'sk-deadline-start-0123456789');
    const run = await runConformance({
      providers: ['evolink-kling-v3-t2v'],
      specsDir: defaultSpecsDir(),
      target: 'live',
      baseUrls: { '*': url },
      apiKeyEnv: 'KC_DEADLINE_START_KEY',
      families: ['auth'],
      timeoutSeconds: 2,
      // the deadline falls while the probe waits (or, on a very slow machine, before it is sent)
      deadlineAt: Date.now() + 1500,
    });
    expect(run.run.incomplete).toBeUndefined();
    expect(run.results.length).toBeGreaterThan(0);
    for (const r of run.results) {
      expect(r.status, r.id).toBe('error');
      expect(r.message, r.id).toMatch(/^deadline: the run's --timeout of 2 s ended it before any check started/);
      if (probed) expect(r.message, r.id).toContain(`(${url} had not answered the reachability probe)`);
    }
  }, 30_000);
});
