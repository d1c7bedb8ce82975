/**
 * Redaction throughput: `redact()` runs on every byte the CLI writes (reports, history, stdout, stderr). Two secrets
 * registered (each with its few hundred encoded forms), over report-like JSON text with the forms inside.
 * Run: node --import tsx bench/redact.ts [megabytes]
 */
import { encodedForms, redact, registerAuthPrefix, registerSecret } from '../src/core/redact.ts';

const megabytes = Number(process.argv[2] ?? 10);
const key = 'sk-Bench+k3y/with"quote=and&amp-5f0e1d2c3b4a';
registerSecret(key);
registerSecret('rt-route-token-7c1f0e9d2b4a');
registerAuthPrefix('Bearer ');
const chunk = JSON.stringify(
  {
    id: 'reject.prompt_missing',
    status: 'fail',
    message: 'the gateway answered 400 {"error":{"code":"invalid_request","message":"prompt is required"}}',
    observed: {
      headers: { 'content-type': 'application/json', 'x-request-id': 'a1b2c3d4e5f60718293a4b5c6d7e8f90' },
      body: 'QmFzZTY0IGxvb2tpbmcgdGV4dCBoZXJlIGFuZCB0aGVyZQ==',
    },
  },
  null,
  2,
);
const text = chunk.repeat(Math.ceil((megabytes * 1e6) / chunk.length)) + encodedForms(key).join(' ');
redact(text.slice(0, 10_000));
const runs: number[] = [];
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  const out = redact(text);
  runs.push(performance.now() - started);
  if (out.includes(key)) throw new Error('the key survived');
}
const best = Math.min(...runs);
console.log(
  `${encodedForms(key).length} forms a secret; ${(text.length / 1e6).toFixed(1)} MB: ` +
    `best of 5 ${best.toFixed(0)} ms (${(text.length / 1e3 / best).toFixed(0)} MB/s)`,
);
