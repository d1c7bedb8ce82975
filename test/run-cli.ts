import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `kling-conformance` bin as a user would, optionally with stdin and extra environment (a variable
 * given as undefined is left out). */
export function runCli(
  args: string[],
  options: { stdin?: string; env?: Record<string, string | undefined>; timeoutMs?: number; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const bin = fileURLToPath(new URL('../bin/kling-conformance.js', import.meta.url));
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: options.cwd,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** The start of a live run's arguments: one provider against a gateway, the key read from `keyEnv`. */
export function liveRunArgs(provider: string, baseUrl: string, keyEnv: string): string[] {
  return ['run', '--provider', provider, '--target', 'live', '--base-url', baseUrl, '--api-key-env', keyEnv];
}
