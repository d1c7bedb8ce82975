import { HarnessError } from '../core/errors.ts';
import { documentedServer } from '../spec/documented-server.ts';
import type { ProviderSpec } from '../spec/model.ts';

/**
 * The upstream a proxy may forward to: the documented server's host, or a host named with --upstream-allow. Anything
 * else is refused before a socket opens (an allowlist for every outbound call), as is a scheme other than http(s).
 */
export function checkUpstream(spec: ProviderSpec, upstream: string, allow: string[]): URL {
  let url: URL;
  try {
    url = new URL(upstream);
  } catch {
    throw new HarnessError('USAGE', `--upstream ${upstream} is not a URL`, {
      fix: 'pass e.g. --upstream https://api.example.com',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new HarnessError('USAGE', `--upstream must be http(s) (got ${url.protocol})`, { fix: 'use an https:// URL' });
  const documented = documentedServer(spec);
  const documentedHost = documented ? new URL(documented).host : undefined;
  if (url.host !== documentedHost && !allow.includes(url.host) && !allow.includes(url.hostname))
    throw new HarnessError(
      'CONFIG',
      documentedHost
        ? `--upstream ${url.host} is not ${spec.id}'s documented server (${documentedHost})`
        : `--upstream ${url.host} is not allowed: ${spec.id}'s documents print no server to allow by default`,
      { file: spec.file, pointer: '/servers/0/url', fix: `name it with --upstream-allow ${url.host} if it is yours` },
    );
  return url;
}
