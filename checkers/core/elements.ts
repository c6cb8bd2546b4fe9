/**
 * Identity and order of set elements (JSON values). Two elements are the same when their canonical JSON is the
 * same: `1` and `"1"` differ, `{a: 1, b: 2}` equals `{b: 2, a: 1}`.
 */

/** A string identifying an element: numbers and strings stay cheap, other values use canonical JSON. */
export function elementKey(v: unknown): string {
  if (typeof v === "string") return `s${v}`;
  if (typeof v === "number") return `n${v}`;
  return `j${canonicalJson(v)}`;
}

/** JSON with object keys sorted, so equal values print equal. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(",")}}`;
}

/** Total order for reports: numbers ascending, then strings, then everything else by canonical JSON. */
export function compareElements(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  const sa = ra === 1 ? (a as string) : canonicalJson(a);
  const sb = ra === 1 ? (b as string) : canonicalJson(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function rank(v: unknown): number {
  return typeof v === "number" ? 0 : typeof v === "string" ? 1 : 2;
}

/** Describes a list of elements for an explanation: the first `max`, then "and N more". */
export function listElements(elements: readonly unknown[], max = 10): string {
  const shown = elements.slice(0, max).map((e) => canonicalJson(e));
  const more = elements.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}
