/**
 * Benchmarks, run with `npm run bench`. Figures are ratios measured side by side in one run on one machine;
 * nothing here is asserted in tests. Prints a Markdown table for the README.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { request, Agent } from 'undici';
import { createAjv, collectExtensionKeys } from '../src/core/ajv.ts';
import { generateCases } from '../src/cases/generate-cases.ts';
import { loadAllSpecs } from '../src/spec/load-spec.ts';
import { withClaims } from '../src/spec/build-model.ts';
import { compileValidators } from '../src/validate/compile-validators.ts';
import { startMocks, stopMocks } from '../src/mock/start-mocks.ts';

const time = async (fn: () => unknown | Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const rows: string[][] = [];
const specs = await loadAllSpecs();

// 1. boundary case generation
generateCases(specs[0]!, { seed: 0 }); // warm up faker and the JIT
let cases = 0;
const genMs = await time(() => {
  for (const spec of specs) for (let seed = 1; seed <= 20; seed++) cases += generateCases(spec, { seed }).length;
});
rows.push([
  'generate boundary cases (5 providers × 20 seeds)',
  `${cases} cases in ${genMs.toFixed(0)} ms`,
  `${Math.round(cases / (genMs / 1000)).toLocaleString('en')} cases/s`,
]);

// 2. validators: compile at run time vs load precompiled standalone code
const compileMs = await time(() => {
  for (const spec of specs) compileValidators(withClaims(spec, 'mock')).request({});
});
// inside node_modules so the generated code can require ajv's runtime
const dir = join(import.meta.dirname ?? '.', '../node_modules/.cache/kc-bench');
mkdirSync(dir, { recursive: true });
const files = specs.map((spec, i) => {
  const ajv = createAjv(collectExtensionKeys(spec.resolved));
  (ajv.opts as { code: { source: boolean } }).code.source = true;
  const validate = ajv.compile(spec.create.requestSchema ?? {});
  const file = join(dir, `v${i}.cjs`);
  writeFileSync(file, (standaloneCode as unknown as (a: unknown, v: unknown) => string)(ajv, validate));
  return file;
});
const require = createRequire(import.meta.url);
const loadMs = await time(() => {
  for (const f of files) require(f);
});
rows.push(['request validators for 5 providers: ajv compile at start', `${compileMs.toFixed(1)} ms`, '']);
rows.push([
  '… vs loading precompiled (standalone) code',
  `${loadMs.toFixed(1)} ms`,
  `${(compileMs / loadMs).toFixed(1)}× faster start`,
]);

// 3. validation throughput
const all = specs.flatMap((spec) =>
  generateCases(spec, { seed: 1 }).map((c) => [compileValidators(spec).request, c.body] as const),
);
let n = 0;
const valMs = await time(() => {
  for (let i = 0; i < 20; i++) for (const [v, body] of all) v(body), n++;
});
rows.push([
  'validate generated bodies (with plain-words diagnostics)',
  `${n} in ${valMs.toFixed(0)} ms`,
  `${Math.round(n / (valMs / 1000)).toLocaleString('en')} bodies/s`,
]);

// 4. HTTP: msw handlers behind node:http vs a plain node:http server answering the same JSON
const agent = new Agent({ connections: 16 });
const load = async (url: string, body: string, count: number) => {
  let inFlight = 0;
  const ms = await time(async () => {
    const send = async (): Promise<void> => {
      while (inFlight < count) {
        inFlight++;
        const r = await request(url, {
          method: 'POST',
          body,
          headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
          dispatcher: agent,
        });
        await r.body.dump();
      }
    };
    await Promise.all(Array.from({ length: 16 }, send));
  });
  return count / (ms / 1000);
};
const evolink = specs.find((s) => s.id === 'evolink-kling-v3-t2v')!;
const [mock] = await startMocks([evolink]);
const body = JSON.stringify(evolink.create.examples[0]!.value);
const plain = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"id":"task-unified-1","status":"pending"}');
  });
});
await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
const plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/v1/videos/generations`;
await load(plainUrl, body, 500);
await load(`${mock!.url}/v1/videos/generations`, body, 500);
const plainRps = await load(plainUrl, body, 4000);
const mockRps = await load(`${mock!.url}/v1/videos/generations`, body, 4000);
rows.push(['HTTP creates, plain node:http (baseline)', `${Math.round(plainRps).toLocaleString('en')} req/s`, '']);
rows.push([
  'HTTP creates, EvoLink mock (auth, validation, task, template)',
  `${Math.round(mockRps).toLocaleString('en')} req/s`,
  `${(plainRps / mockRps).toFixed(1)}× the baseline's cost`,
]);
await stopMocks([mock!]);
plain.close();
await agent.close();

console.log(`| measurement | result | ratio |\n|---|---|---|\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}`);
console.log(`\nnode ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
