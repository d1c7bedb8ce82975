#!/usr/bin/env node
// The last step of `npm run build`: parse and validate every built-in spec, and compile every validator a command
// can ask for (request, each documented response, each poll status, the boundary cases' conditions; under both claim
// choices), with the build's own code, into dist/cache/ — shipped in the package and read when a project's cache
// has no entry (src/core/cache-dir.ts), so the first command after an install does not pay for YAML and ajv.
// Run in a child process: the cache location is read from the environment when the code loads.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

export function warmCache(root, dist) {
  const dir = join(dist, 'cache');
  rmSync(dir, { recursive: true, force: true });
  const script =
    `
    const { loadAllSpecs } = await ` +
    `import(${JSON.stringify(join(dist, 'src/spec/load-spec.js'))});
    const { ` +
    `withClaims } = await ` +
    `import(${JSON.stringify(join(dist, 'src/spec/build-model.js'))});
    const { ` +
    `compileValidators } = await ` +
    `import(${JSON.stringify(join(dist, 'src/validate/compile-validators.js'))});
   ` +
    ` const { generateCases } = await ` +
    `import(${JSON.stringify(join(dist, 'src/cases/generate-cases.js'))});
    let n ` +
    `= 0;
    for (const base of await ` +
    `loadAllSpecs(${JSON.stringify(join(root, 'specs'))})) {
      for (const spec ` +
    `of [base, withClaims(base, 'other')]) {
        const v = ` +
    `compileValidators(spec);
        for (const op of ['create', 'poll'])
          ` +
    `for (const status of Object.keys(spec[op].responses)) if ` +
    `(/^\\d+$/.test(status)) v.response(op, Number(status));
        for (const ` +
    `status of Object.keys(spec.x.lifecycle.statuses)) v.pollStatus(status);
        ` +
    `generateCases(spec);
        n++;
      }
    }
    ` +
    `process.stderr.write('cached ' + n + ' spec variants in dist/cache/\\n');
  `;
  execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, KLING_CONFORMANCE_CACHE_DIR: dir, KLING_CONFORMANCE_NO_CACHE: '' },
  });
}
