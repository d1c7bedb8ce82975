import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { HarnessError } from '../core/errors.ts';
import type { ClientAdapter } from './client-adapter.ts';

/** What a `--client` module exports: the adapter, and optionally the providers its client speaks. */
export interface ClientModule {
  adapter: ClientAdapter;
  /** provider ids the client is written for; absent: every provider */
  providers?: string[];
}

/** TypeScript by its extension: loaded through tsx's loader, on every supported Node (20 has no type stripping). */
const TYPESCRIPT = /\.[cm]?tsx?$/;

/**
 * Loads a `--client` module by path. TypeScript goes through tsx's scoped `tsImport` (Node 20 knows no `.ts`; Node
 * 22+'s type stripping does not map `./x.js` imports to `./x.ts` as TypeScript sources write them); JavaScript through
 * Node's own import. A module without an `adapter` (or default export) with a create() is a harness error.
 */
export async function loadClientModule(path: string): Promise<ClientModule> {
  if (!existsSync(path))
    throw new HarnessError('USAGE', `--client ${path}: no such file`, {
      fix: 'pass the path of a module exporting `adapter` (docs/client-adapter.md)',
    });
  const url = pathToFileURL(path).href;
  const mod = (
    TYPESCRIPT.test(path) ? await (await import('tsx/esm/api')).tsImport(url, import.meta.url) : await import(url)
  ) as { adapter?: ClientAdapter; default?: ClientAdapter; providers?: unknown };
  const adapter = mod.adapter ?? mod.default;
  if (!adapter || typeof adapter.create !== 'function')
    throw new HarnessError('USAGE', `${path} must export \`adapter\` (a ClientAdapter with a create() function)`, {
      file: path,
      fix: 'export const adapter: ClientAdapter = { name, async create(input, env) { … } } (docs/client-adapter.md)',
    });
  return { adapter, providers: providerList(mod.providers, path) };
}

function providerList(value: unknown, path: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string'))
    throw new HarnessError('USAGE', `${path}: \`providers\` must be a non-empty array of provider ids`, {
      file: path,
      fix: "export const providers = ['evolink-kling-v3-t2v'] (the ids `kling-conformance specs` lists)",
    });
  return value as string[];
}
