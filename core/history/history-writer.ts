import { closeSync, openSync, writeSync } from "node:fs";
import type { Op } from "../../checkers/history/index.js";
import type { Clock } from "../clock/index.js";

/** An op as the harness hands it over: the writer stamps `index` and `time`. */
export type OpDraft = Omit<Op, "index" | "time">;

/**
 * Appends ops to a history in completion order, stamping each with its index and the clock's time. Entries are
 * written as they come (DESIGN.md "Nothing is lost"): by default the entries of each event-loop turn are handed
 * to the kernel together at the end of that turn, so a crash or SIGKILL of the harness leaves every line
 * recorded before the turn it interrupted on disk, whole (`write(2)` of complete lines; the page cache survives
 * a killed process).
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
   * When entries reach the file (measured in BENCHMARKS.md "Spine"):
   * - `"entry"`: one `write(2)` per entry, before `append` returns;
   * - `"turn"` (default): the entries of one event-loop turn are written together at the end of that turn
   *   (`setImmediate`), before any further I/O is handled — a SIGKILL loses at most the entries of the turn it
   *   interrupts, i.e. ops whose completion no one has acted on yet;
   * - a number of ms: batched at most that far apart (cheapest; a SIGKILL loses up to that window).
   */
  flush?: "entry" | "turn" | number;
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
  const flushMode = options.flush ?? "turn";
  const ops: Op[] = [];
  const listeners = new Set<(op: Op) => void>();
  let pending: string[] = [];
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  let closed = false;

  const flush = (): void => {
    timer = undefined;
    if (fd === undefined || pending.length === 0) return;
    const text = pending.join("");
    pending = [];
    writeAll(fd, text);
  };

  // A harness that dies of an exception still runs 'exit' listeners, synchronously: the pending turn goes out too.
  const onExit = (): void => flush();
  if (fd !== undefined && flushMode !== "entry") process.on("exit", onExit);

  return {
    ops,
    append(draft: OpDraft): Op {
      if (closed) throw new Error(`history is closed; cannot record ${JSON.stringify(draft)}`);
      const op = { index: ops.length, time: options.clock.nowNs(), ...draft } as Op;
      ops.push(op);
      if (fd !== undefined) {
        const line = JSON.stringify(op) + "\n";
        if (flushMode === "entry") writeAll(fd, line);
        else {
          pending.push(line);
          timer ??= flushMode === "turn" ? setImmediate(flush) : setTimeout(flush, flushMode);
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
      if (timer) {
        clearTimeout(timer as NodeJS.Timeout);
        clearImmediate(timer as NodeJS.Immediate);
      }
      flush();
      process.off("exit", onExit);
      if (fd !== undefined) closeSync(fd);
    },
  };
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, "utf8");
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off);
}
