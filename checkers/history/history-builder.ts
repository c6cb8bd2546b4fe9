import { HistoryStructure } from "./history-structure.js";
import type { Op } from "./op.js";
import { parseHistoryLine } from "./parse-history-line.js";

/** A last line a crashed writer left unfinished: reported, not an error. */
export interface TruncatedLine {
  /** Its 1-based line number. */
  line: number;
  /** The start of its text (at most 120 characters). */
  text: string;
  /** Why it could not be read (the JSON parser's message). */
  reason: string;
}

/** A parsed and validated `history.jsonl`. */
export interface ParsedHistory {
  /** The ops, in index order. */
  history: Op[];
  /** The file name used in messages. */
  source: string;
  /** Physical lines read, including blank ones and a truncated last line. */
  lines: number;
  /** Set when the last line was cut short (no final newline and not valid JSON): it was left out. */
  truncated?: TruncatedLine;
  /** Client ops invoked but never completed: they count as `info` (DESIGN.md). */
  incomplete: number;
}

/** Options shared by {@link parseHistory} and {@link readHistory}. */
export interface ParseHistoryOptions {
  /** Name used in error messages; default `history.jsonl` (readHistory: the file's base name). */
  source?: string;
}

/**
 * Turns lines into a validated history: parses each (blank lines are skipped), checks the structure as it goes,
 * and treats an unparseable last line with no final newline as the truncated tail of a crashed writer.
 * Shared by the in-memory and the streaming readers.
 */
export class HistoryBuilder {
  private readonly ops: Op[] = [];
  private readonly structure: HistoryStructure;
  private lineNo = 0;
  private truncated: TruncatedLine | undefined;

  constructor(private readonly source: string) {
    this.structure = new HistoryStructure(source);
  }

  /** Feeds one complete line (it ended with a newline). */
  line(text: string): void {
    this.lineNo++;
    this.accept(text, false);
  }

  /** Feeds the text after the last newline, if any (the file did not end with a newline). */
  end(rest: string): ParsedHistory {
    if (rest.length > 0) {
      this.lineNo++;
      this.accept(rest, true);
    }
    const out: ParsedHistory = {
      history: this.ops,
      source: this.source,
      lines: this.lineNo,
      incomplete: this.structure.pending().length,
    };
    if (this.truncated) out.truncated = this.truncated;
    return out;
  }

  private accept(raw: string, last: boolean): void {
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (text.trim().length === 0) return;
    if (last) {
      try {
        JSON.parse(text);
      } catch (err) {
        this.truncated = {
          line: this.lineNo,
          text: text.length > 120 ? `${text.slice(0, 117)}...` : text,
          reason: err instanceof Error ? err.message : String(err),
        };
        return;
      }
    }
    const op = parseHistoryLine(text, this.lineNo, this.source);
    this.structure.add(op, this.lineNo);
    this.ops.push(op);
  }
}
