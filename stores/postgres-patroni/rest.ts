import type { Address } from "./plan.js";

/**
 * `GET http://host:port<path>` of a Patroni REST API: the status code and the parsed JSON body (`undefined`
 * when unreachable, timed out or not JSON). Health endpoints answer 200 / 503 with a body either way.
 */
export async function patroniGet(
  at: Address,
  path: string,
  timeoutMs = 1000,
): Promise<{ status: number; body: unknown } | undefined> {
  try {
    const res = await fetch(`http://${at.host}:${at.port}${path}`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, body };
  } catch {
    return undefined;
  }
}
