/**
 * JSON output that matches Go's `encoding/json` byte for byte where Toxiproxy's responses depend on it:
 * `<`, `>`, `&`, U+2028 and U+2029 escaped, lone surrogates replaced, float32 values printed in their shortest
 * round-tripping form (`0.2`, not `0.20000000298023224`), and object fields in the order the caller gives
 * (JavaScript objects would move integer-like keys to the front).
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Encodes a string as a Go JSON string literal (invalid UTF-16 becomes U+FFFD, as Go does with bad UTF-8). */
export function encodeString(s: string): string {
  return JSON.stringify(s.replace(LONE_SURROGATE, "\uFFFD")).replace(/[<>&\u2028\u2029]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/** Encodes fields in the given order: `[["name", encoded], …]` → `{"name":…}`. Values must be encoded JSON. */
export function encodeObject(fields: readonly (readonly [string, string])[]): string {
  let out = "{";
  for (let i = 0; i < fields.length; i++) {
    const [k, v] = fields[i]!;
    if (i > 0) out += ",";
    out += `${encodeString(k)}:${v}`;
  }
  return out + "}";
}

/** Encodes an array of already-encoded JSON values. */
export function encodeArray(items: readonly string[]): string {
  return `[${items.join(",")}]`;
}

/** Prints a float32 the way Go's `json.Marshal` does: the shortest decimal that reads back as the same float32. */
export function formatFloat32(x: number): string {
  const f = Math.fround(x);
  if (f === 0) return "0";
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return String(candidate);
  }
  return String(f);
}

/** Prints an integer (int64 attribute) as Go does. */
export function formatInt(n: number): string {
  return Object.is(n, -0) ? "0" : String(n);
}

/**
 * Encodes plain JSON data (no float32, insertion order kept for string keys) with Go's string escaping. Used for
 * faultline's own extension responses, whose field order is the object's.
 */
export function encodePlain(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return encodeString(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return encodeArray(value.map(encodePlain));
  if (value instanceof RawJson) return value.json;
  if (value instanceof Map) {
    return encodeObject([...(value as Map<string, unknown>).entries()].map(([k, v]) => [k, encodePlain(v)]));
  }
  return encodeObject(Object.entries(value as object).map(([k, v]) => [k, encodePlain(v)]));
}

/** Already-encoded JSON embedded in a value given to {@link encodePlain}. */
export class RawJson {
  constructor(readonly json: string) {}
}
