import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { InputError } from "../errors/index.js";
import type { ParsedHistory, ParseHistoryOptions } from "./history-builder.js";
import { HistoryBuilder } from "./history-builder.js";

/** What {@link readHistory} reads: a file path, or a stream / async iterable of text or bytes (UTF-8). */
export type HistorySource = string | AsyncIterable<string | Uint8Array>;

/**
 * Reads a `history.jsonl` as a stream, line by line, validating each line as it arrives (so a huge history is
 * never held as one string). Same rules as {@link parseHistory}: errors name the line and field; a truncated last
 * line is reported in `truncated`, not thrown.
 *
 * @throws InputError `HISTORY_UNREADABLE` if the file cannot be opened or read, `BAD_HISTORY` for a bad line.
 * @example
 * const { history } = await readHistory("store/latest/history.jsonl");
 */
export async function readHistory(
  from: HistorySource,
  options: ParseHistoryOptions = {},
): Promise<ParsedHistory> {
  const source = options.source ?? (typeof from === "string" ? basename(from) : "history.jsonl");
  const builder = new HistoryBuilder(source);
  const decoder = new StringDecoder("utf8");
  const input = typeof from === "string" ? createReadStream(from, { highWaterMark: 1 << 20 }) : from;
  let rest = "";
  try {
    for await (const chunk of input) {
      let text = rest + (typeof chunk === "string" ? chunk : decoder.write(Buffer.from(chunk)));
      let start = 0;
      for (;;) {
        const nl = text.indexOf("\n", start);
        if (nl < 0) break;
        builder.line(text.slice(start, nl));
        start = nl + 1;
      }
      rest = text.slice(start);
      text = "";
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new InputError("HISTORY_UNREADABLE", `cannot read ${source}: ${e.message ?? String(err)}`, {
      details: { source, code: e.code },
      hint: "pass a run directory or the path of its history.jsonl",
      cause: err,
    });
  }
  return builder.end(rest + decoder.end());
}
