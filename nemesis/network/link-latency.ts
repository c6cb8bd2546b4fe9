import type { FaultlineProxyClient } from "../proxy-client/index.js";
import type { LinkCut, LinkDelayable, LinkLatency, LinkRule } from "../../core/cluster/index.js";
import { addProxyLinkToxics } from "./link-toxics.js";

/**
 * Link latency through faultline's proxy (EXTENSIONS.md "LinkToxic"): one `latency` link toxic per selected
 * (source, destination, stream), added in one batch so every link slows at the same instant; the proxy applies
 * them to live and future connections of those links after their proxy-level toxics. The handle removes exactly
 * those toxics; the proxy's "remove every link toxic" (the final phase's heal) removes them too.
 *
 * @example
 * const slow = await proxyLinkLatency(ext).delayLinks(
 *   [{ source: "n2", destination: "n1", stream: "downstream" }], { latencyMs: 300 });
 * await slow.heal();
 */
export function proxyLinkLatency(ext: FaultlineProxyClient): LinkDelayable {
  return {
    async delayLinks(rules: readonly LinkRule[], latency: LinkLatency): Promise<LinkCut> {
      const jitter = latency.jitterMs ?? 0;
      if (!(latency.latencyMs >= 0) || !(jitter >= 0)) {
        throw new RangeError(`latency and jitter must be ≥ 0 ms, got ${JSON.stringify(latency)}`);
      }
      // The general link-toxic ability with Toxiproxy's latency toxic.
      return addProxyLinkToxics(
        ext,
        rules,
        { type: "latency", attributes: { latency: latency.latencyMs, jitter } },
        "delay",
      );
    },
  };
}
