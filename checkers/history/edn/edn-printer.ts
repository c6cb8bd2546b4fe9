import type { EdnValue } from "./edn-value.js";
import { EdnKeyword, EdnList, EdnMap, EdnSet, EdnSymbol, EdnTagged } from "./edn-value.js";

/**
 * Prints an EDN value on one line, the way Clojure's `pr-str` would for the same data: maps as
 * `{:a 1, :b 2}`, vectors `[1 2]`, lists `(1 2)`, sets `#{1 2}`, strings with escapes, `nil`, `##NaN`, `##Inf`.
 * {@link readEdn} reads back what it prints.
 */
export function printEdn(v: EdnValue): string {
  if (v === null) return "nil";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return printNumber(v);
  if (typeof v === "string") return printString(v);
  if (Array.isArray(v)) return `[${v.map(printEdn).join(" ")}]`;
  if (v instanceof EdnKeyword) return `:${v.name}`;
  if (v instanceof EdnSymbol) return v.name;
  if (v instanceof EdnList) return `(${v.items.map(printEdn).join(" ")})`;
  if (v instanceof EdnSet) return `#{${v.items.map(printEdn).join(" ")}}`;
  if (v instanceof EdnMap)
    return `{${v.entries.map(([k, x]) => `${printEdn(k)} ${printEdn(x)}`).join(", ")}}`;
  if (v instanceof EdnTagged) return `#${v.tag} ${printEdn(v.value)}`;
  throw new TypeError(`not an EDN value: ${String(v)}`);
}

function printNumber(n: number): string {
  if (Number.isNaN(n)) return "##NaN";
  if (n === Infinity) return "##Inf";
  if (n === -Infinity) return "##-Inf";
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return `${BigInt(n)}N`;
  return String(n);
}

function printString(s: string): string {
  let out = '"';
  for (const c of s) {
    if (c === '"') out += '\\"';
    else if (c === "\\") out += "\\\\";
    else if (c === "\n") out += "\\n";
    else if (c === "\t") out += "\\t";
    else if (c === "\r") out += "\\r";
    else if (c === "\b") out += "\\b";
    else if (c === "\f") out += "\\f";
    else if (c < " ") out += `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    else out += c;
  }
  return `${out}"`;
}
