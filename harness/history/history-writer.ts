import { closeSync, openSync, writeSync } from "node:fs";
import type { Op } from "../../checkers/history/index.js";
import type { Clock } from "../clock/index.js";

/** An op as the harness hands it over: the writer stamps `index` and `time`. */
export type OpDraft = Omit<Op, "index" | "time">;

/**
 * Appends ops to a history in completion order, stamping each with its index and the clock's time. Entries are
 * written as they come (DESIGN.md "Nothing is lost"): with the default `bufferMs: 0` every line is handed to
 * the kernel with one `write(2)` before `append` returns, so a crash or SIGKILL of the harness leaves every
 * recorded line on disk.
 */
export interface HistoryWriter {
  /** Stamps and records one entry; returns it as written. */
  append(draft: OpDraft): Op;
  /** Calls `listener` for every entry appended from now on (progress lines, the live report). */
  subscribe(listener: (op: Op) => void): () => void;
  /** Entries recorded so far, in order. */
  readonly ops: readonly Op[];
  /** Writes anything buffered and closes the file. Idempotent. */
  close(): void;
}

/** Options of {@link openHistoryWriter}. */
export interface HistoryWriterOptions {
  /** Path of `history.jsonl`; omitted = memory only. */
  path?: string;
  clock: Clock;
  /**
   * 0 (default): one write per entry. > 0: entries are batched and written at most this many ms apart (cheaper
   * per op; a SIGKILL loses at most that window). Measured in BENCHMARKS.md "Spine".
   */
  bufferMs?: number;
}

/**
 * Opens a history writer (the file is created or truncated).
 *
 * @example
 * const history = openHistoryWriter({ path: "store/run/history.jsonl", clock: monotonicClock() });
 * history.append({ process: 0, type: "invoke", f: "add", value: 1 });
 * history.close();
 */
export function openHistoryWriter(options: HistoryWriterOptions): HistoryWriter {
  const fd = options.path === undefined ? undefined : openSync(options.path, "w");
  const bufferMs = options.bufferMs ?? 0;
  const ops: Op[] = [];
  const listeners = new Set<(op: Op) => void>();
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const flush = (): void => {
    timer = undefined;
    if (fd === undefined || pending.length === 0) return;
    const text = pending.join("");
    pending = [];
    writeAll(fd, text);
  };

  return {
    ops,
    append(draft: OpDraft): Op {
      if (closed) throw new Error(`history is closed; cannot record ${JSON.stringify(draft)}`);
      const op = { index: ops.length, time: options.clock.nowNs(), ...draft } as Op;
      ops.push(op);
      if (fd !== undefined) {
        const line = JSON.stringify(op) + "\n";
        if (bufferMs <= 0) writeAll(fd, line);
        else {
          pending.push(line);
          timer ??= setTimeout(flush, bufferMs);
        }
      }
      for (const l of listeners) l(op);
      return op;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close(): void {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      flush();
      if (fd !== undefined) closeSync(fd);
    },
  };
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, "utf8");
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off);
}
