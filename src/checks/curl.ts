/** The exact request as a curl command a person can paste; the key stays in an environment variable. */
export function toCurl(method: string, url: string, body: unknown, keyVar = 'KLING_API_KEY'): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const parts = [`curl -sS -X ${method} ${quote(url)}`, `-H "Authorization: Bearer $${keyVar}"`];
  if (body !== undefined) parts.push(`-H 'content-type: application/json'`, `--data-raw ${quote(JSON.stringify(body))}`);
  return parts.join(' \\\n  ');
}
