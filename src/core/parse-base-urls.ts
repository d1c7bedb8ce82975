import { HarnessError } from './errors.ts';

/** "https://x" for all providers, or "<provider-id>=https://x" per provider. */
export function parseBaseUrls(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const m = /^([a-z0-9][a-z0-9.-]*)=(https?:\/\/.+)$/.exec(v);
    const [id, url] = m ? [m[1]!, m[2]!] : ['*', v];
    try {
      new URL(url);
    } catch {
      throw new HarnessError('USAGE', v.trim() ? `--base-url ${v} is not a URL` : '--base-url is empty', {
        fix:
          'pass e.g. --base-url https://api.gateway.example' +
          (v.trim()
            ? ''
            : ' (a value taken from a CI variable, e.g. vars.GATEWAY_URL in GitHub Actions, ' +
              'is empty when that variable is unset)'),
      });
    }
    out[id] = url;
  }
  return out;
}
