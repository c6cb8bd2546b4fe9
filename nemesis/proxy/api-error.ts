/**
 * An error the HTTP API answers with Toxiproxy's `{"error": "...", "status": N}` body. The messages of the
 * standard routes are Toxiproxy 2.12's exact strings (`proxy not found`, `toxic already exists`, …).
 */
export class ApiError extends Error {
  constructor(
    /** HTTP status code: 400, 404, 409 or 500. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Toxiproxy's error strings, word for word (`api.go`, `proxy_collection.go`, `toxic_collection.go`). */
export const ApiMessages = {
  proxyNotFound: "proxy not found",
  proxyExists: "proxy already exists",
  toxicNotFound: "toxic not found",
  toxicExists: "toxic already exists",
  invalidStream: "stream was invalid, can be either upstream or downstream",
  invalidType: "invalid toxic type",
  badBody: (detail: string) => `bad request body: ${detail}`,
  missingField: (field: string) => `missing required field: ${field}`,
} as const;
