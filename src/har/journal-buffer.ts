import { writeSync } from 'node:fs';

/** bytes the buffer starts with (a batch of ~256 lines of ~0.6 KB fits; it grows for a longer line) */
const INITIAL_BYTES = 256 * 1024;
const NEWLINE = 0x0a;

/**
 * A batch of journal lines as UTF-8 bytes in one reused buffer, written to the journal with one write(2). Each line
 * is encoded when it is added, so the string it was built from is garbage at once (a batch of strings kept until
 * its write, then joined, outlived young-generation collections and was copied twice more).
 */
export class JournalBuffer {
  private buf = Buffer.allocUnsafe(INITIAL_BYTES);
  private used = 0;
  /** lines in the batch not yet written */
  lines = 0;

  constructor(private readonly fd: number) {}

  /**
   * Adds `line` and a newline when the journal stays within `room` bytes; returns the bytes it took, or 0 (nothing
   * added) when it would pass them.
   */
  add(line: string, room: number): number {
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units)
    if (this.used + line.length * 3 + 1 > this.buf.length) this.makeRoom(line.length * 3 + 1);
    const bytes = this.buf.write(line, this.used) + 1;
    if (bytes > room) return 0;
    this.buf[this.used + bytes - 1] = NEWLINE;
    this.used += bytes;
    this.lines++;
    return bytes;
  }

  /** Writes the batch: one write(2) on the journal's O_APPEND descriptor (more only if the kernel takes part). */
  flush(): void {
    let at = 0;
    while (at < this.used) at += writeSync(this.fd, this.buf, at, this.used - at);
    this.used = 0;
    this.lines = 0;
    // a buffer grown for one long line goes back to its usual size (memory stays bounded by the common case)
    if (this.buf.length > INITIAL_BYTES) this.buf = Buffer.allocUnsafe(INITIAL_BYTES);
  }

  /** Replaces the batch not yet written by `edit` of its text (e.g. redacted again: a secret was learned since). */
  rewrite(edit: (text: string) => string): void {
    const text = edit(this.buf.toString('utf8', 0, this.used));
    this.used = 0;
    if (text.length * 3 > this.buf.length) this.buf = Buffer.allocUnsafe(text.length * 3);
    this.used = this.buf.write(text, 0);
  }

  /** Writes what is pending when `need` more bytes would not fit; grows the buffer for a line longer than it. */
  private makeRoom(need: number): void {
    this.flush();
    if (need > this.buf.length) this.buf = Buffer.allocUnsafe(need);
  }
}
