/**
 * One HTTP request to a proxy server with a deadline. Every failure is a {@link FaultlineError}: the server's
 * `{"error","status"}` answer (`PROXY_API_ERROR`), no answer in time (`PROXY_API_TIMEOUT`), or no connection
 * (`PROXY_API_UNREACHABLE`).
 */
import { FaultlineError } from "../../core/errors/index.js";

/** Default per-request deadline, in ms. */
export const DEFAULT_TIMEOUT_MS = 5_000;

/** Sends `method path` with an optional JSON body and returns the response text. */
export async function request(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; timeoutMs: number },
): Promise<{ status: number; text: string }> {
  const url = baseUrl.replace(/\/+$/, "") + path;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method,
      headers: options.body === undefined ? {} : { "Content-Type": "application/json" },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    const e = err as Error;
    if (e.name === "TimeoutError" || e.name === "AbortError") {
      throw new FaultlineError(
        "PROXY_API_TIMEOUT",
        `${method} ${url} got no answer within ${options.timeoutMs} ms`,
        {
          details: { method, url, timeoutMs: options.timeoutMs },
          hint: "the proxy server is overloaded or hung; check its log, or raise the client's timeoutMs",
          cause: err,
        },
      );
    }
    throw new FaultlineError("PROXY_API_UNREACHABLE", `${method} ${url} failed: ${causeText(e)}`, {
      details: { method, url },
      hint: "is the proxy server running at that address? (`faultline proxy` starts one)",
      cause: err,
    });
  }
  if (res.status >= 400) {
    let message = text.trim();
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? message;
    } catch {
      // not JSON (e.g. "404 page not found"): keep the text
    }
    throw new FaultlineError("PROXY_API_ERROR", `${method} ${url} answered ${res.status}: ${message}`, {
      details: { method, url, status: res.status, error: message },
      hint:
        res.status === 404 && message === "404 page not found"
          ? "this server does not know faultline's routes: it is probably a real Toxiproxy (see detectFaultlineServer)"
          : undefined,
      userError: res.status < 500,
    });
  }
  return { status: res.status, text };
}

function causeText(err: Error): string {
  const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? err.message;
}
