/**
 * What the recorder itself costs a mock create, in one process and without HTTP (`npm run bench:record-loop`): a real
 * create against the EvoLink mock is captured once (the exchange `mock --record` is told of), then replayed into a
 * fresh recorder `--n` times, each with a new task id in its answer (as every create has), in turns of `--turn`
 * exchanges (the exchanges one event-loop turn holds under load). Prints CPU µs per recorded exchange, the median of
 * `--rounds` rounds after a warm-up. For profiling (`node --cpu-prof --import tsx bench/record-loop.ts`) and for
 * comparing two versions of the recorder on a busy machine (the figure is CPU time, not wall time); the goal itself is
 * judged by bench/record.ts over HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { VirtualClock } from '../src/core/clock.ts';
import type { WireExchange } from '../src/har/har-entry.ts';
import { HarRecorder } from '../src/har/har-recorder.ts';
import { startMocks, stopMocks } from '../src/mock/start-mocks.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { BENCH_KEY } from './bench-key.ts';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '7' },
    turn: { type: 'string', default: '8' },
    poll: { type: 'boolean', default: false },
  },
});
const n = Number(args.n);
const turn = Number(args.turn);
const spec = await loadSpecById('evolink-kling-v3-t2v');
const dir = mkdtempSync(join(tmpdir(), 'kc-record-loop-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** one real create (or poll) as the recording hook is told of it */
async function captured(): Promise<WireExchange> {
  const seen: WireExchange[] = [];
  const [mock] = await startMocks(
    [spec],
    { clock: new VirtualClock(Date.now()), validKeys: [BENCH_KEY], record: { file: join(dir, 'capture.har') } },
    { adapter: 'routes' },
  );
  const recorder = mock!.state.recorder!;
  const record = recorder.record;
  Object.defineProperty(recorder, 'record', { value: (x: WireExchange) => (seen.push(x), record(x)) });
  const headers = { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' };
  const body = JSON.stringify({ model: 'kling-v3-text-to-video', prompt: 'a cat skateboarding through a neon city' });
  const created = await fetch(`${mock!.url}/v1/videos/generations`, { method: 'POST', headers, body });
  const { id } = (await created.json()) as { id: string };
  if (args.poll) await (await fetch(`${mock!.url}/v1/tasks/${id}`, { headers })).text();
  await stopMocks([mock!]);
  return seen.at(-1)!;
}

const model = await captured();
const answer = model.response!;
const modelBody = String(answer.body);
const modelNote = model.note;
const taskId = modelNote?.taskId ?? '';

/** the captured exchange again, as the i-th create: its own task id in the answer and the note */
function nth(i: number): WireExchange {
  const id = args.poll ? taskId : `${taskId.slice(0, -8)}${(0x10000000 + i).toString(16).slice(-8)}`;
  const t = performance.now();
  return {
    ...model,
    startedAt: t - 0.08,
    endedAt: t,
    response: { ...answer, body: args.poll ? modelBody : modelBody.replace(taskId, id) },
    note: modelNote && { ...modelNote, taskId: id },
  };
}

/** CPU µs per exchange over `n` exchanges recorded into a fresh recorder (its journal flushed in the count) */
function round(): number {
  const recorder = new HarRecorder({
    file: join(dir, `loop-${Math.random().toString(16).slice(2)}.har`),
    auth: { header: 'Authorization', prefix: 'Bearer ' },
    meta: { provider: spec.id } as never,
    secrets: [BENCH_KEY],
    creator: { name: 'record-loop', version: '0' },
  });
  const exchanges = Array.from({ length: n }, (_, i) => nth(i));
  const drain = (recorder as unknown as { drain(): void }).drain;
  const start = process.cpuUsage();
  for (let i = 0; i < n; i += turn) {
    for (let j = i; j < Math.min(n, i + turn); j++) recorder.record(exchanges[j]!);
    drain();
  }
  const used = process.cpuUsage(start);
  recorder.discard();
  return (used.user + used.system) / n;
}

round();
const figures = Array.from({ length: Number(args.rounds) }, round).sort((a, b) => a - b);
const median = figures[figures.length >> 1]!;
console.log(
  `${args.poll ? 'poll' : 'create'}: ${median.toFixed(2)} µs CPU per recorded exchange (median of ${figures.length}; ` +
    `spread ${figures[0]!.toFixed(2)}–${figures.at(-1)!.toFixed(2)}; n ${n}, turn ${turn})`,
);
process.exit(0);
