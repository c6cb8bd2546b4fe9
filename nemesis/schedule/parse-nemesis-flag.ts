import { InputError } from "../../core/errors/index.js";
import { FAULT_FAMILIES } from "./fault-window.js";
import { FAULT_NAMES, isNemesisChoice, type NemesisChoice } from "./catalogue.js";

/** Edit distance (insert, delete, substitute), for "did you mean" hints. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

function suggestion(word: string): string {
  const known = [...FAULT_FAMILIES, ...FAULT_NAMES, "none"];
  const best = known
    .map((k) => ({ k, d: distance(word, k) }))
    .sort((x, y) => x.d - y.d || x.k.localeCompare(y.k))[0];
  return best !== undefined && best.d <= Math.max(2, Math.floor(word.length / 4))
    ? ` (did you mean "${best.k}"?)`
    : "";
}

/**
 * Parses `--nemesis`: a comma-separated list of fault families (`partition,kill,pause,latency,clock,link`)
 * and/or named faults (`kill-leader`, `isolate-follower`…), or `none`. Spaces around items are ignored and
 * repeats dropped. Errors name the flag, the bad item and the accepted words.
 *
 * @example
 * parseNemesisFlag("partition,kill"); // ["partition", "kill"]
 * parseNemesisFlag("none"); // []
 */
export function parseNemesisFlag(text: string): NemesisChoice[] {
  const fail = (message: string, item?: string): never => {
    throw new InputError("BAD_FLAG", `--nemesis: ${message}${item === undefined ? "" : suggestion(item)}`, {
      details: { flag: "--nemesis", value: text },
      hint: `families: ${FAULT_FAMILIES.join(", ")}; faults: ${FAULT_NAMES.join(", ")}; or none`,
    });
  };
  const items = text.split(",").map((s) => s.trim());
  if (items.length === 1 && items[0] === "none") return [];
  const out: NemesisChoice[] = [];
  items.forEach((item, i) => {
    if (item === "")
      fail(
        text.trim() === ""
          ? "names no fault (use none for no faults)"
          : `item ${i + 1} is empty in "${text}"`,
      );
    if (item === "none") fail(`"none" cannot be combined with other faults in "${text}"`);
    if (!isNemesisChoice(item)) fail(`unknown fault "${item}"`, item);
    if (!out.includes(item as NemesisChoice)) out.push(item as NemesisChoice);
  });
  return out;
}
