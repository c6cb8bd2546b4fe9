/**
 * Size limits of the proxy's HTTP API. Toxiproxy has none; without them a 7 MB proxy name was accepted and then
 * copied into every listing, event and log line, and the API answered 408 for 38 s. No real client comes close:
 * names are a few dozen characters, addresses `host:port` (a host name is at most 253 characters), and the
 * largest real body (a populate or batch of a whole cluster's proxies or link toxics) a few kilobytes.
 */
import { ApiError } from "./api-error.js";

/** The API's limits (COMPAT.md "API"). */
export const API_LIMITS = {
  /** Largest request body, in bytes. */
  bodyBytes: 1024 * 1024,
  /** Longest name (proxy, toxic, source name, link selector), in characters. */
  nameLength: 256,
  /** Longest address (`listen`, `upstream`), in characters. */
  addressLength: 512,
} as const;

/**
 * Throws a 400 `<field> is too long: N characters (the limit is M)` when `value` is longer than `limit`.
 *
 * @example
 * checkLength("name", spec.name, API_LIMITS.nameLength);
 */
export function checkLength(field: string, value: string, limit: number): void {
  if (value.length > limit) {
    throw new ApiError(400, `${field} is too long: ${value.length} characters (the limit is ${limit})`);
  }
}

/** The 400 message for a body over {@link API_LIMITS}.bodyBytes (Go's MaxBytesReader text, then the limit). */
export function bodyTooLargeMessage(bytes: number | undefined): string {
  const size = bytes === undefined ? "" : `${bytes} bytes, `;
  return `bad request body: http: request body too large (${size}the limit is ${API_LIMITS.bodyBytes} bytes)`;
}
