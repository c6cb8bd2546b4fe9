import { closeSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";

/** Items kept of a list in `results.json`; the rest are in the list's own file. */
export const LIST_EXAMPLES = 100;

/** Where one bounded list went: how many items it had, how many `results.json` keeps, the file with them all. */
export interface SpilledList {
  /** Items in the full list: always complete. */
  count: number;
  /** Items kept in `results.json` (the first ones). */
  shown: number;
  /** The file with every item, one JSON value per line, relative to `results.json`'s directory. */
  file?: string;
}

/** What {@link boundLists} needs. */
export interface BoundListsOptions {
  /** Items kept per list (default {@link LIST_EXAMPLES}). */
  max?: number;
  /**
   * The directory the full lists are streamed to (created when a list is spilled), and its name relative to
   * `results.json`; without it lists are only cut (e.g. `--json -`).
   */
  spill?: { dir: string; relative: string };
}

/** Lines written per `writeSync` when a list is streamed out. */
const CHUNK = 4096;

/**
 * Streams `items` to `path` as JSON Lines, atomically (write, then rename), in chunks: never one string the
 * size of the list.
 */
export function writeJsonLines(path: string, items: readonly unknown[]): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  try {
    for (let i = 0; i < items.length; i += CHUNK) {
      let chunk = "";
      const end = Math.min(items.length, i + CHUNK);
      for (let j = i; j < end; j++) chunk += `${JSON.stringify(items[j]) ?? "null"}\n`;
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** A file name for a list at `path` of a checker's result: `set.lost.jsonl`, `set.anomalies.0.ops.jsonl`. */
function fileName(path: readonly (string | number)[]): string {
  return `${path.map((p) => String(p).replace(/[^A-Za-z0-9_#-]/g, "_")).join(".")}.jsonl`;
}

/**
 * Returns a copy of a JSON value (a checker's result) in which every array longer than `max` keeps its first
 * `max` items; each such list is streamed whole to its own file under `spill.dir` and described in `spilled`
 * (by its dotted path: `lost`, `anomalies.0.elements`). Counts stay complete: checkers report them in their own
 * fields (`lostCount`), and `spilled` has each list's length. The input is not changed.
 *
 * @example
 * const spilled: Record<string, SpilledList> = {};
 * const bounded = boundLists(result, ["set"], spilled, { spill: { dir: "run/results.lists", relative: "results.lists" } });
 */
export function boundLists(
  value: unknown,
  path: (string | number)[],
  spilled: Record<string, SpilledList>,
  options: BoundListsOptions = {},
): unknown {
  const max = options.max ?? LIST_EXAMPLES;
  if (Array.isArray(value)) {
    let items: unknown[] = value;
    if (value.length > max) {
      const entry: SpilledList = { count: value.length, shown: max };
      if (options.spill) {
        mkdirSync(options.spill.dir, { recursive: true });
        const name = fileName(path);
        writeJsonLines(join(options.spill.dir, name), value);
        entry.file = `${options.spill.relative}/${name}`;
      }
      spilled[path.slice(1).join(".")] = entry;
      items = value.slice(0, max);
    }
    return items.map((x, i) => boundLists(x, [...path, i], spilled, options));
  }
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = boundLists(v, [...path, k], spilled, options);
  return out;
}
