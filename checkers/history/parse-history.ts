import type { ParsedHistory, ParseHistoryOptions } from "./history-builder.js";
import { HistoryBuilder } from "./history-builder.js";

/**
 * Parses the text of a `history.jsonl`: every line validated (fields and structure), blank lines skipped, a
 * truncated last line (no final newline, not valid JSON: a crashed writer) reported in `truncated` and left out.
 *
 * @throws InputError (`BAD_HISTORY`) naming the line and the field.
 * @example
 * const { history, truncated } = parseHistory(readFileSync("history.jsonl", "utf8"));
 */
export function parseHistory(text: string, options: ParseHistoryOptions = {}): ParsedHistory {
  const builder = new HistoryBuilder(options.source ?? "history.jsonl");
  let start = 0;
  for (;;) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) break;
    builder.line(text.slice(start, nl));
    start = nl + 1;
  }
  return builder.end(text.slice(start));
}
