import type { FaultlineProxyClient } from "../../nemesis/proxy-client/index.js";
import type { LinkCut, LinkDelayable, LinkLatency, LinkRule } from "../cluster/index.js";

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
  let delays = 0;
  return {
    async delayLinks(rules: readonly LinkRule[], latency: LinkLatency): Promise<LinkCut> {
      const jitter = latency.jitterMs ?? 0;
      if (!(latency.latencyMs >= 0) || !(jitter >= 0)) {
        throw new RangeError(`latency and jitter must be ≥ 0 ms, got ${JSON.stringify(latency)}`);
      }
      const id = ++delays;
      const names = rules.map((r) => `delay${id}_${r.stream}_${r.source}_${r.destination}`);
      await ext.batchLinkToxics({
        add: rules.map((r, i) => ({
          name: names[i]!,
          type: "latency",
          stream: r.stream,
          source: r.source,
          destination: r.destination,
          attributes: { latency: latency.latencyMs, jitter },
        })),
      });
      let healed: Promise<void> | undefined;
      return {
        rules,
        heal() {
          healed ??= (async () => {
            // A heal-everything may already have removed some of them; remove the rest at once.
            const present = new Set((await ext.listLinkToxics()).map((t) => t.name));
            const remove = names.filter((n) => present.has(n));
            if (remove.length > 0) await ext.batchLinkToxics({ remove });
          })();
          return healed;
        },
      };
    },
  };
}
