import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate, setTimeout } from 'node:timers';
import { writeFileAtomic } from '../core/atomic-write.ts';
import { makeFolder, type Undo } from '../core/undo-created.ts';
import { HarnessError } from '../core/errors.ts';
import { redact, redactionVersion, redactValue, registerSecret } from '../core/redact.ts';
import { type AuthForm, EntryBuilder, type JournalEntry, type WireExchange } from './har-entry.ts';
import type { Har, KcLogMeta } from './har-types.ts';
import { harEntryOf } from './journal-entry.ts';
import { JournalBuffer } from './journal-buffer.ts';
import { harFromJournal } from './read-journal.ts';
import { RepeatTemplate } from './same-exchange.ts';

export interface RecorderOptions {
  /** the HAR to write on close; while recording, entries go to `<file>.jsonl` (see journalPath) */
  file?: string;
  /** entries kept in memory for GET /__mock/har (oldest dropped first; default 10,000) */
  maxEntries?: number;
  /** bytes the journal may reach on disk; past it entries are counted as dropped, not written (default 256 MiB) */
  maxBytes?: number;
  auth: AuthForm;
  meta: KcLogMeta;
  /** secrets known before any request (the mock's --valid-key values): removed from every line, the first too */
  secrets?: string[];
  creator: { name: string; version: string };
}

export const RECORD_DEFAULTS = { maxEntries: 10_000, maxBytes: 256 * 1024 * 1024 } as const;

/** Where a recording to `file` keeps its journal until it closes (a killed recorder leaves only this). */
export const journalPath = (file: string) => `${file}.jsonl`;

/**
 * Entries reach the journal in batches: every FLUSH_MS, or at once past FLUSH_ENTRIES (one write(2) a batch).
 * A killed mock loses at most the last FLUSH_MS of entries.
 */
const FLUSH_MS = 50;
const FLUSH_ENTRIES = 256;

/**
 * Records exchanges as HAR. On disk: a journal of JSON lines, the first naming the log (creator, provider, fault
 * plan), then one entry per line; lines reach the file in batches, one write(2) each, on a descriptor opened
 * O_APPEND, so a killed process leaves every earlier line whole (a reader drops a torn last line). `close()`
 * assembles the HAR beside it atomically. Without a file: the newest `maxEntries` lines in memory. Either way
 * GET /__mock/har answers the newest `maxEntries` entries.
 */
export class HarRecorder {
  private readonly builder: EntryBuilder;
  private readonly lines: string[] = [];
  /** exchanges recorded in this event-loop turn, not yet journalled (two lists, in turn: none made per turn) */
  private turn: WireExchange[] = [];
  private spare: WireExchange[] = [];
  /** the batch not yet written (with a journal file) */
  private pending: JournalBuffer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private fd: number | undefined;
  /** takes back the folders made for the journal (a recording that never started) */
  private undoFolders: Undo = () => {};
  private bytes = 0;
  private dropped = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly head: string;
  /** the exchange journalled last in full, which a later one may repeat (with the redaction it was written under) */
  private readonly template = new RepeatTemplate();
  private templateRedaction = -1;
  /** `monotonicMs,time` of each exchange since repeating the one before, not yet journalled; how many */
  private repeats = '';
  private repeated = 0;
  /** redactionVersion() when the batch not yet written began: a secret learned since is cut from it before its write */
  private batchRedaction = -1;

  constructor(private readonly options: RecorderOptions) {
    // a journal file is read whole and in order: header sets are written once and referred to by id
    this.builder = new EntryBuilder(options.auth, { headerSets: options.file !== undefined });
    this.maxEntries = options.maxEntries ?? RECORD_DEFAULTS.maxEntries;
    this.maxBytes = options.maxBytes ?? RECORD_DEFAULTS.maxBytes;
    for (const secret of options.secrets ?? []) registerSecret(secret);
    const meta = { creator: options.creator, ...options.meta, epochMs: this.builder.epochMs };
    this.head = JSON.stringify(redactValue({ _kc_log: meta }));
    if (options.file) this.open(journalPath(options.file));
  }

  /** The HAR startedDateTime of an exchange that started at `startedAt` (performance.now()). */
  startedDateTime(startedAt: number): string {
    return this.builder.startedDateTime(startedAt);
  }

  /** Records one exchange (the node:http adapter calls this after each answer). */
  readonly record = (x: WireExchange): void => {
    // learned at once: the lines of this turn, and the batch not yet written, are redacted with it too
    this.builder.learn(x);
    this.turn.push(x);
    if (this.turn.length === 1) setImmediate(this.drain);
  };

  /**
   * Journals the exchanges recorded in this event-loop turn, one after the other (the builder's code and tables stay
   * warm across them: built between answers, a line cost twice as much). An exchange is kept only until its turn ends.
   */
  private readonly drain = (): void => {
    const turn = this.turn;
    // a record() while journalling (none today) starts the next turn's list
    this.turn = this.spare;
    for (let i = 0; i < turn.length; i++) this.journal(turn[i]!);
    turn.length = 0;
    this.spare = turn;
  };

  private journal(x: WireExchange): void {
    const pending = this.pending;
    if (!pending) {
      this.keep(this.builder.line(x));
      return;
    }
    if (this.template.matches(x) && this.templateRedaction === redactionVersion()) {
      // the entry before, again: only its start and duration reach the journal (on the line ending the run)
      this.repeats += `${this.repeated++ ? ',' : ''}${this.builder.repeat(x)}`;
    } else {
      this.endRepeats(pending);
      this.append(pending, this.builder.line(x), 1);
      this.template.set(x);
      this.templateRedaction = redactionVersion();
    }
    if (pending.lines + this.repeated >= FLUSH_ENTRIES) this.flush();
    else if (!this.timer) this.timer = setTimeout(this.flush, FLUSH_MS).unref();
  }

  /**
   * Queues the line holding the run of exchanges that repeated the entry before them (`{"_kc_again":[monotonicMs,
   * time, …]}`: read-journal.ts makes each an entry like the one before, its sequence number the next).
   */
  private endRepeats(pending: JournalBuffer): void {
    if (!this.repeated) return;
    this.append(pending, `{"_kc_again":[${this.repeats}]}`, this.repeated);
    this.repeats = '';
    this.repeated = 0;
  }

  /** No journal file: the newest entries in memory (with a file they are read back from it: none kept per answer). */
  private keep(line: string): void {
    this.lines.push(line);
    if (this.lines.length >= this.maxEntries + Math.max(64, this.maxEntries >> 2))
      this.lines.splice(0, this.lines.length - this.maxEntries);
  }

  /**
   * Queues a journal line within the byte bound (past it: counted, and marked once; every later line is dropped too,
   * so no line is kept whose header set was dropped).
   */
  private append(pending: JournalBuffer, line: string, entries: number): void {
    const bytes = this.dropped ? 0 : pending.add(line, this.maxBytes - this.bytes);
    if (bytes === 0) {
      if (this.dropped === 0) pending.add(JSON.stringify({ _kc_dropped_from: this.bytes }), Infinity);
      this.dropped += entries;
      return;
    }
    this.bytes += bytes;
  }

  /** The newest entries as a HAR (what GET /__mock/har answers). */
  har(): Har {
    this.drain();
    if (this.options.file) {
      this.flush();
      const har = harFromJournal(readFileSync(journalPath(this.options.file), 'utf8'));
      har.log.entries = har.log.entries.slice(-this.maxEntries);
      // a line written before a secret was learned may hold it (in a header other than the auth header)
      return redactValue(har);
    }
    const entries = this.lines
      .slice(-this.maxEntries)
      .map((l) => harEntryOf(JSON.parse(redact(l)) as JournalEntry, this.builder.epochMs));
    return {
      log: {
        version: '1.2',
        creator: this.options.creator,
        entries,
        _kc: { ...this.options.meta, ...(this.dropped ? { dropped: this.dropped } : {}) },
      },
    };
  }

  /** Writes what is pending, closes the journal and assembles the HAR file from it (atomically). */
  close(): void {
    this.drain();
    if (this.fd === undefined || !this.options.file) return;
    this.flush();
    closeSync(this.fd);
    this.fd = undefined;
    this.pending = undefined;
    const path = journalPath(this.options.file);
    const written = readFileSync(path, 'utf8');
    // lines written before a secret was learned may hold it (in a header other than the auth header): cut it now
    const journal = redact(written);
    if (journal !== written) writeFileAtomic(path, journal);
    writeFileAtomic(this.options.file, `${JSON.stringify(harFromJournal(journal), null, 1)}\n`);
  }

  /**
   * A recording that never started (the server could not listen): its journal and the folders made for it are
   * removed, so a command refused before any traffic leaves nothing behind.
   */
  discard(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.pending = undefined;
    if (this.timer) clearTimeout(this.timer);
    if (this.options.file) rmSync(journalPath(this.options.file), { force: true });
    this.undoFolders();
  }

  private open(path: string): void {
    try {
      this.undoFolders = makeFolder(dirname(path));
      // 'w' first: a recording starts empty; then every write appends
      closeSync(openSync(path, 'w'));
      this.fd = openSync(path, 'a');
      this.pending = new JournalBuffer(this.fd);
    } catch (err) {
      throw new HarnessError('IO', `cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? err}`, {
        file: path,
        fix: 'choose another --record path',
      });
    }
    this.bytes = this.pending.add(this.head, Infinity);
    this.flush();
  }

  private readonly flush = (): void => {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    this.endRepeats(this.pending);
    if (this.pending.lines && this.batchRedaction !== redactionVersion()) this.pending.rewrite(redact);
    if (this.pending.lines) this.pending.flush();
    this.batchRedaction = redactionVersion();
  };
}
