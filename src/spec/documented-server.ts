import type { ProviderSpec } from './model.ts';

/** Hosts under `.example` are reserved for documentation (RFC 2606): a spec's placeholder, never a gateway's server. */
const PLACEHOLDER_HOST = /(^|\.)example$/i;

/**
 * The spec's documented server, its `{variables}` filled with their documented defaults; undefined when the documents
 * print none (no server, or only a `.example` placeholder).
 */
export function documentedServer(spec: ProviderSpec): string | undefined {
  const server = (
    spec.raw.servers as { url?: string; variables?: Record<string, { default?: string }> }[] | undefined
  )?.[0];
  if (!server?.url) return undefined;
  const url = server.url.replace(/\{([^}]+)\}/g, (_m, name: string) => server.variables?.[name]?.default ?? '');
  return URL.canParse(url) && !PLACEHOLDER_HOST.test(new URL(url).hostname) ? url : undefined;
}
