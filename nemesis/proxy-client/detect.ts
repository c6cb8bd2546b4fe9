import { FaultlineError } from "../../core/errors/index.js";
import { DEFAULT_TIMEOUT_MS, request } from "./request.js";

/** What `GET /version` says about a proxy server. */
export type ProxyServerKind =
  | {
      readonly server: "faultline";
      /** The Toxiproxy API version it speaks. */
      readonly version: string;
      /** faultline's own version. */
      readonly faultline: string;
      /** Extension features (`sources`, `links`, `events`, `connections`). */
      readonly features: readonly string[];
    }
  | { readonly server: "toxiproxy"; readonly version: string };

/**
 * Asks a proxy server what it is. A faultline server identifies itself in `GET /version`
 * (EXTENSIONS.md); anything else that answers with a version is taken to be a real Toxiproxy, on which the
 * `/faultline/` routes must not be used.
 *
 * @example
 * const kind = await detectFaultlineServer("http://127.0.0.1:8474");
 * if (kind.server !== "faultline") throw new Error("per-link faults need faultline's proxy");
 */
export async function detectFaultlineServer(
  url: string,
  options: { timeoutMs?: number } = {},
): Promise<ProxyServerKind> {
  const { text } = await request(url, "GET", "/version", {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  let parsed: { version?: unknown; server?: unknown; faultline?: unknown; features?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (err) {
    throw new FaultlineError(
      "PROXY_NOT_TOXIPROXY",
      `${url}/version did not answer JSON: ${text.slice(0, 80)}`,
      {
        details: { url, body: text.slice(0, 200) },
        hint: "the URL must point at a Toxiproxy or faultline proxy API (port 8474 by default)",
        cause: err,
      },
    );
  }
  const version = typeof parsed.version === "string" ? parsed.version : "unknown";
  if (parsed.server === "faultline") {
    return {
      server: "faultline",
      version,
      faultline: typeof parsed.faultline === "string" ? parsed.faultline : "unknown",
      features: Array.isArray(parsed.features) ? parsed.features.filter((f) => typeof f === "string") : [],
    };
  }
  return { server: "toxiproxy", version };
}
