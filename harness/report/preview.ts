/**
 * A JSON rendering of `value` cut at about `max` characters, without stringifying more than that: a final read
 * of a set of 100,000 elements costs as much as its first few dozen. Cut text ends with `…`.
 *
 * @example
 * preview([1, 2, 3]); // "[1,2,3]"
 * preview("x".repeat(500), 10); // "\"xxxxxxxx…"
 */
export function preview(value: unknown, max = 120): string {
  const out: string[] = [];
  let length = 0;
  const push = (s: string): boolean => {
    out.push(s);
    length += s.length;
    return length < max;
  };
  const walk = (v: unknown, depth: number): boolean => {
    if (v === undefined) return push("null");
    if (v === null || typeof v === "number" || typeof v === "boolean") return push(String(v));
    if (typeof v === "string") return push(JSON.stringify(v.length > max ? v.slice(0, max) : v));
    if (typeof v === "bigint") return push(v.toString());
    if (depth > 20) return push('"…"');
    if (Array.isArray(v)) {
      if (!push("[")) return false;
      for (let i = 0; i < v.length; i++) {
        if (i > 0 && !push(",")) return false;
        if (!walk(v[i], depth + 1)) return false;
      }
      return push("]");
    }
    if (typeof v === "object") {
      if (!push("{")) return false;
      let first = true;
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (!first && !push(",")) return false;
        first = false;
        if (!push(`${JSON.stringify(k)}:`)) return false;
        if (!walk(x, depth + 1)) return false;
      }
      return push("}");
    }
    return push(JSON.stringify(String(v)));
  };
  const complete = walk(value, 0);
  const text = out.join("");
  return complete && text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
