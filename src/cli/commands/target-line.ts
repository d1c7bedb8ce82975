import type { Target } from '../../core/run-target.ts';

/** A live dry run without --base-url lists its requests against this placeholder (it sends nothing). */
export const PLACEHOLDER_URL = 'https://gateway.example';

/**
 * What a run is against, said before anything else (stderr for a run, the dry run's first line): the target and the
 * URL each provider is judged at. A mock run's URLs are the mocks' (a port of 127.0.0.1 chosen when each starts).
 */
export function targetLine(target: Target, ids: string[], urls: Record<string, string> | undefined): string {
  const at = (id: string) => urls?.[id] ?? urls?.['*'];
  if (target === 'mock')
    return (
      `target mock: the built-in mock${ids.length === 1 ? '' : 's'} of ` +
      `${ids.map((id) => (at(id) ? `${id} at ${at(id)}` : id)).join(', ')}` +
      `${urls ? '' : ' (started for this run on 127.0.0.1)'}; no gateway is contacted`
    );
  return (
    `target live: ${ids.map((id) => `${id} at ${at(id) ?? PLACEHOLDER_URL}`).join(', ')}` +
    (ids.some((id) => !at(id)) ? ` (${PLACEHOLDER_URL}: a placeholder, no --base-url given)` : '')
  );
}
