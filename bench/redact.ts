/**
 * Redaction throughput: `redact()` runs on every byte the CLI writes (reports, history, stdout, stderr). Two secrets
 * registered (each with its few hundred encoded forms), over report-like JSON text with the forms inside. Then the
 * recorder's path: `redactWith()` on one string at a time, as a JSON literal with a credential's scanner, in CPU ns a
 * string, by kind of string (with no `%`, `\`, `&` nor long base64 run, the cheap test is all decoding costs).
 * Run: npm run bench:redact [-- megabytes]
 */
import { encodedForms, redact, redactWith, registerAuthPrefix, registerSecret } from '../src/core/redact.ts';
import { SecretScanner } from '../src/core/secret-scanner.ts';

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

const credential = 'sk-live-credential-0f1e2d3c4b5a69788796a5b4';
const forms = [credential, ...encodedForms(credential)];
const scanner = new SecretScanner([...forms, ...forms.map((f) => JSON.stringify(f).slice(1, -1))]);
const pixels = Buffer.from(Array.from({ length: 1500 }, (_, i) => (i * 37) % 256)).toString('base64');
const kinds: Record<string, string[]> = {
  'no trigger (headers, paths, JSON)': [
    'application/json',
    '/v1/tasks/abc123def456',
    '{"task_id":"t-123","status":"processing","progress":40}',
    'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    '{"prompt":"a cat walks on the beach at sunset, cinematic","duration":5,"aspect_ratio":"16:9"}',
  ],
  'a query with &': ['/v1/tasks/abc?model=kling-v3&duration=5&ratio=16:9'],
  '% and \\ escapes': ['/v1/videos?prompt=a%20cat%20on%20the%20beach', '{"p":"caf\\u00e9 \\"x\\""}'],
  '2 KB base64 image': [`{"image":"data:image/png;base64,${pixels}"}`],
};
for (const [kind, strings] of Object.entries(kinds)) {
  const literals = strings.map((s) => JSON.stringify(s));
  const times = kind.startsWith('2 KB') ? 2_000 : 50_000;
  const cpu = (n: number) => {
    const before = process.cpuUsage();
    for (let i = 0; i < n; i++) for (let k = 0; k < strings.length; k++) redactWith(literals[k]!, scanner, strings[k]);
    const used = process.cpuUsage(before);
    return ((used.user + used.system) * 1000) / n / strings.length;
  };
  cpu(times / 10);
  const rounds = [cpu(times), cpu(times), cpu(times)].sort((a, b) => a - b);
  console.log(`recorder, ${kind}: ${rounds[1]!.toFixed(0)} ns CPU a string (median of 3)`);
}
