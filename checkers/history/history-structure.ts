import type { LineLocation } from "./parse-history-line.js";
import { historyError } from "./parse-history-line.js";
import type { History, Op } from "./op.js";

interface InFlight {
  op: Op;
  line: number;
}

/**
 * Checks the structure of a history one op at a time, as it streams in (DESIGN.md "Operations and the
 * history"):
 *
 * - `index` counts up from 0 without gaps;
 * - a client process (an integer) is single-threaded: it never invokes while an op of its is in flight, never
 *   completes without an invoke in flight, completes with the same `f` as its invoke, and never invokes again
 *   after an `info` completion retired it (its worker continues under a new process id);
 * - the `nemesis` and `monitor` processes may also record standalone events (a completion with no invoke, as
 *   Jepsen's nemesis does with its `:info` pairs) and may have several ops in flight, so they are not checked
 *   for pairing.
 *
 * `time` is not required to be monotonic: checkers order ops by `index` and use `time` only to measure.
 *
 * @throws InputError (`BAD_HISTORY`) naming the line and the field.
 */
export class HistoryStructure {
  private nextIndex = 0;
  private readonly inFlight = new Map<number, InFlight>();
  private readonly retired = new Map<number, number>();

  /**
   * @param source the file name messages start with.
   * @param hint what a bad history's message suggests (default: `history.jsonl`'s format; an EDN import has its own).
   */
  constructor(
    private readonly source = "history.jsonl",
    private readonly hint?: string,
  ) {}

  /** Checks the next op; `line` is its 1-based line number (for messages). */
  add(op: Op, line: number): void {
    const at: LineLocation = { source: this.source, line };
    if (op.index !== this.nextIndex) {
      throw historyError(
        at,
        `field "index" must be ${this.nextIndex} (indices count up from 0 without gaps), got ${op.index}`,
        "index",
        this.hint,
      );
    }
    this.nextIndex++;
    if (typeof op.process !== "number") return;
    const p = op.process;
    const pending = this.inFlight.get(p);
    if (op.type === "invoke") {
      if (pending) {
        throw historyError(
          at,
          `process ${p} invokes "${op.f}" while its "${pending.op.f}" invoked on line ${pending.line} ` +
            `(index ${pending.op.index}) has not completed; a process is single-threaded`,
          "process",
          this.hint,
        );
      }
      const retiredAt = this.retired.get(p);
      if (retiredAt !== undefined) {
        throw historyError(
          at,
          `process ${p} was retired by its info completion on line ${retiredAt} and cannot invoke again ` +
            `(a retired worker continues under a new process id)`,
          "process",
          this.hint,
        );
      }
      this.inFlight.set(p, { op, line });
      return;
    }
    if (!pending) {
      throw historyError(
        at,
        `field "type" is "${op.type}" but process ${p} has no invoke in flight (a completion without an invoke)`,
        "type",
        this.hint,
      );
    }
    if (pending.op.f !== op.f) {
      throw historyError(
        at,
        `field "f" must be "${pending.op.f}" like its invoke on line ${pending.line}, got "${op.f}"`,
        "f",
        this.hint,
      );
    }
    this.inFlight.delete(p);
    if (op.type === "info") this.retired.set(p, line);
  }

  /** How many ops have been checked. */
  get count(): number {
    return this.nextIndex;
  }

  /** Client ops still in flight (invoked, never completed): they count as `info`. */
  pending(): Op[] {
    return [...this.inFlight.values()].map((x) => x.op).sort((a, b) => a.index - b.index);
  }
}

/**
 * Checks the structure of a whole in-memory history (see {@link HistoryStructure}); line numbers in messages are
 * `index + 1`, which is the line of each op in a `history.jsonl` without blank lines.
 *
 * @throws InputError (`BAD_HISTORY`) naming the line and the field.
 */
export function validateHistory(history: History, source = "history.jsonl"): void {
  const s = new HistoryStructure(source);
  for (let i = 0; i < history.length; i++) s.add(history[i], i + 1);
}
