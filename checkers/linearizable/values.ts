/**
 * Canonical forms for JSON values, so that models can compare values with `===` and hash them cheaply.
 *
 * Numbers, booleans and `null` stay as they are. Strings stay as they are unless they begin with NUL; objects and
 * arrays become a NUL-prefixed canonical JSON text (keys sorted). The encoding is injective, so two values are
 * equal as JSON exactly when their canonical forms are `===`.
 */

/** A JSON value in canonical form: comparable with `===`. */
export type Canonical = number | boolean | string | null;

const TAG = "\u0000";

/** The canonical form of a JSON value (`undefined` counts as `null`). */
export function canonical(value: unknown): Canonical {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "number":
    case "boolean":
      return value;
    case "string":
      return value.startsWith(TAG) ? `${TAG}s${value}` : value;
    default:
      return `${TAG}j${canonicalJson(value)}`;
  }
}

/** The JSON value back from its canonical form. */
export function decanonical(c: Canonical): unknown {
  if (typeof c !== "string" || !c.startsWith(TAG)) return c;
  return c[1] === "s" ? c.slice(2) : JSON.parse(c.slice(2));
}

/** Renders a canonical value for explanations: `3`, `null`, `"abc"`, `[1,2]`. */
export function describeValue(c: Canonical): string {
  const v = decanonical(c);
  return typeof v === "string" ? JSON.stringify(v) : canonicalJson(v);
}

/** JSON text with object keys sorted, so equal values print alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    const obj = value as Record<string, unknown>;
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
  }
  return value === undefined ? "null" : JSON.stringify(value);
}

/** A 32-bit hash of a canonical value, consistent with `===`. */
export function hashCanonical(c: Canonical): number {
  if (c === null) return 0x2545f491;
  if (typeof c === "number") return hashNumber(c);
  if (typeof c === "boolean") return c ? 0x6a09e667 : 0x3c6ef372;
  return hashString(c);
}

/** A 32-bit hash of a number (integers hash by value, others by their text). */
export function hashNumber(n: number): number {
  if (Number.isInteger(n) && n >= -0x80000000 && n <= 0x7fffffff) return mix32(n | 0);
  return hashString(String(n));
}

/** FNV-1a over the string's UTF-16 code units. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** A 32-bit integer finaliser (murmur3's fmix32): spreads nearby integers over the whole range. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x | 0;
}
