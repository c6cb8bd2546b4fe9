/**
 * What a route handler answers, and how replies are written with Toxiproxy's headers: compact JSON with no
 * trailing newline for successes, `http.Error`-style text/plain bodies (`{"error":…,"status":…}` + newline)
 * for errors.
 */
import type { ServerResponse } from "node:http";
import type { ApiError } from "./api-error.js";
import { encodeObject, encodeString } from "./go-json-encode.js";

/** A handler's answer. */
export interface Reply {
  readonly status: number;
  /** Response body; omitted for 204. */
  readonly body?: string;
  /** Defaults to `application/json` when there is a body. */
  readonly contentType?: string;
}

/** A 200 (or other) JSON reply. */
export function json(body: string, status = 200): Reply {
  return { status, body };
}

/** A 204 with no body. */
export const noContent: Reply = { status: 204 };

/** The body Toxiproxy sends for an {@link ApiError}: `{"error":"…","status":N}` + `"\n"`. */
export function errorReply(err: ApiError): Reply {
  return {
    status: err.status,
    body:
      encodeObject([
        ["error", encodeString(err.message)],
        ["status", String(err.status)],
      ]) + "\n",
    contentType: "text/plain; charset=utf-8",
  };
}

/** Writes a reply (once; a response already sent is left alone). */
export function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.writableEnded) return;
  if (reply.body !== undefined) {
    const type = reply.contentType ?? "application/json";
    res.setHeader("Content-Type", type);
    if (type.startsWith("text/plain")) res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Content-Length", Buffer.byteLength(reply.body));
  }
  res.statusCode = reply.status;
  res.end(reply.body);
}
