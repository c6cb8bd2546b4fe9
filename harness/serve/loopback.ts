/**
 * Loopback names and addresses, checked exactly: `serve`'s defence against DNS rebinding rests on it, so a name
 * that merely starts like one (`127.0.0.1.evil.example`, `localhost.evil.example`) is not loopback.
 */

/** A dotted quad in 127.0.0.0/8: four decimal octets 0–255, no leading zeros (which some parsers read as octal). */
const LOOPBACK_V4 =
  /^127\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * True for an interface only this machine can reach: `localhost`, a 127.0.0.0/8 dotted quad, `::1` or `[::1]`.
 * Nothing else, not even a name that resolves to loopback today (DNS can change its answer).
 *
 * @example
 * isLoopback("127.0.0.1");              // true
 * isLoopback("127.0.0.1.evil.example"); // false
 */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === "localhost" || h === "::1" || h === "[::1]" || LOOPBACK_V4.test(h);
}

/**
 * True when an HTTP `Host` header names this loopback server: a loopback name or address from {@link isLoopback}
 * (IPv6 in brackets), with no port or the server's own port. A missing or empty header is refused.
 *
 * @example
 * isLoopbackHostHeader("localhost:8080", 8080);           // true
 * isLoopbackHostHeader("127.0.0.1.evil.example", 8080);   // false
 * isLoopbackHostHeader("127.0.0.1:9999", 8080);           // false
 */
export function isLoopbackHostHeader(header: string | undefined, port: number): boolean {
  if (header === undefined) return false;
  const m = /^(\[::1\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(header.toLowerCase());
  if (!m) return false;
  const [, name, portText] = m;
  if (portText !== undefined && Number(portText) !== port) return false;
  return name === "[::1]" || (name !== "::1" && isLoopback(name!));
}
