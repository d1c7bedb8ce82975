import { HarnessError } from './errors.ts';

export type Target = 'mock' | 'live';

/**
 * Where a given setting was read: the command line, an environment variable, a config file and its key — or, for a
 * program calling the runner, the option it passed.
 */
export type GivenAt = { flag: string } | { variable: string } | { file: string; pointer: string } | { option: string };

/**
 * The target a run is against. As given; else `live` when a base URL is given (a gateway named is the gateway judged:
 * a base URL is never ignored), else `mock`. A mock target given with a base URL is refused (exit 2): the run would
 * start its own mocks and send nothing to that URL. `at` says where each of the two was read, for the error.
 */
export function resolveTarget(
  settings: { target?: Target; baseUrls?: Record<string, string> },
  at: (key: 'target' | 'baseUrls') => GivenAt | undefined = (key) => ({ option: key }),
): Target {
  if (!settings.baseUrls) return settings.target ?? 'mock';
  if (settings.target !== 'mock') return 'live';
  const target = at('target') ?? { option: 'target' };
  const urls = at('baseUrls') ?? { option: 'baseUrls' };
  const file = 'file' in target ? target : 'file' in urls ? urls : undefined;
  return refuse(target, urls, Object.values(settings.baseUrls).join(', '), file);
}

function refuse(target: GivenAt, urls: GivenAt, url: string, file?: { file: string; pointer: string }): never {
  throw new HarnessError(
    file ? 'CONFIG' : 'USAGE',
    `target mock (${said(target)}) with a base URL (${said(urls)}): a mock run starts the built-in mocks and sends ` +
      `nothing to ${url}`,
    {
      ...(file ? { file: file.file, pointer: file.pointer } : {}),
      fix:
        `to judge that gateway, ${dropped(target)} (a base URL alone means --target live) or make it live; ` +
        `to run the built-in mocks, ${dropped(urls)}`,
    },
  );
}

/** where a setting was read, in words: `--target mock on the command line`, `KLING_CONFORMANCE_TARGET`, a file's key */
const said = (at: GivenAt) =>
  'flag' in at
    ? `${at.flag} on the command line`
    : 'variable' in at
      ? at.variable
      : 'option' in at
        ? `the option ${at.option}`
        : `${at.file}#${at.pointer}`;

/** how to take a setting back where it was read */
const dropped = (at: GivenAt) =>
  'flag' in at
    ? `drop ${at.flag}`
    : 'variable' in at
      ? `unset ${at.variable}`
      : 'option' in at
        ? `leave out ${at.option}`
        : `delete the key ${at.pointer} from ${at.file}`;
