import { detectFaultlineServer } from "../proxy-client/index.js";
import type { Schedule } from "../schedule/index.js";
import { assertFitsPerDestination } from "./proxy-fit.js";

/**
 * Asks the proxy server at `url` (`--toxiproxy-url`) what it is and, for a plain Toxiproxy, refuses a schedule it
 * cannot express (`assertFitsPerDestination`, exit 254) before the run starts anything. Resolves with the kind.
 *
 * @example
 * await assertProxyServerFits(config.schedule, "http://127.0.0.1:8474"); // "toxiproxy"
 */
export async function assertProxyServerFits(
  schedule: Schedule,
  url: string,
): Promise<"faultline" | "toxiproxy"> {
  const kind = await detectFaultlineServer(url);
  if (kind.server === "toxiproxy") assertFitsPerDestination(schedule, url);
  return kind.server;
}
