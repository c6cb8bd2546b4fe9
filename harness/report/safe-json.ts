/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026`
 * (so no `</script>` or `<!--` can end or change the block, whatever the history holds), and U+2028 / U+2029
 * become escapes (older JavaScript parsers treat them as line ends). `JSON.parse` reads it back unchanged.
 *
 * @example
 * jsonForScript({ value: "</script><script>alert(1)</script>" });
 * // '{"value":"\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e"}'
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
