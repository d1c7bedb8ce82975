import type { ProviderSpec } from '../spec/model.ts';

/**
 * The exact request as a curl command a person can paste; the credential stays in an environment variable.
 * The header is the spec's auth scheme; where it carries a minted token, the line says how to make one.
 */
export function toCurl(spec: ProviderSpec, method: string, url: string, body: unknown, keyVar: string): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const auth = spec.x.auth;
  const c = auth.credential;
  const variable = c.kind === 'jwt' ? 'KLING_CONFORMANCE_TOKEN' : keyVar;
  const lines =
    c.kind === 'jwt'
      ? [
          `# ${variable}: a ${c.algorithm} JWT with ${c.issuerClaim} = ` +
            `$${c.accessKeyEnv}, signed with $${c.secretKeyEnv}, valid ` +
            `${c.lifetimeSeconds} s`,
        ]
      : [];
  const parts = [`curl -sS -X ${method} ${quote(url)}`, `-H "${auth.header}: ${auth.prefix}$${variable}"`];
  if (body !== undefined)
    parts.push(`-H 'content-type: application/json'`, `--data-raw ${quote(JSON.stringify(body))}`);
  return [...lines, parts.join(' \\\n  ')].join('\n');
}
