/**
 * Builds a plain object from entries whose keys come from data (an `f`, a node name, a key). Uses
 * `defineProperty`, so a key such as `"__proto__"` is stored as data rather than replacing the prototype.
 */
export function recordOf<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [k, v] of entries) {
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
