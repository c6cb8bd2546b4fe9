import type { Toxiproxy } from "toxiproxy-node-client";
import type { FaultlineProxyClient, NewLinkToxic } from "../proxy-client/index.js";
import type { LinkToxicType } from "../proxy/index.js";
import type {
  LinkCut,
  LinkCutStyle,
  LinkRule,
  LinkToxic,
  LinkToxicable,
  Partitionable,
} from "../../core/cluster/index.js";
import { proxyToxicFaults } from "./proxy-toxic-faults.js";

/** Unique within the harness process, so two handles never name a toxic alike. */
let batches = 0;

/**
 * Adds `toxic` to every selected link and stream through faultline's proxy in one batch (every link changes at
 * the same instant) and returns the handle that removes exactly those toxics. Toxic names are
 * `<prefix><n>_<stream>_<source>_<destination>`.
 */
export async function addProxyLinkToxics(
  ext: FaultlineProxyClient,
  rules: readonly LinkRule[],
  toxic: LinkToxic,
  prefix: string,
): Promise<LinkCut> {
  const id = ++batches;
  const names = rules.map((r) => `${prefix}${id}_${r.stream}_${r.source}_${r.destination}`);
  const toxics: NewLinkToxic[] = rules.map((r, i) => ({
    name: names[i]!,
    type: toxic.type as LinkToxicType,
    stream: r.stream,
    source: r.source,
    destination: r.destination,
    ...(toxic.attributes ? { attributes: { ...toxic.attributes } } : {}),
    ...(toxic.toxicity === undefined ? {} : { toxicity: toxic.toxicity }),
  }));
  if (toxics.length > 0) await ext.batchLinkToxics({ add: toxics });
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
}

/**
 * Link toxics through faultline's source-aware proxy (EXTENSIONS.md "LinkToxic"): any Toxiproxy toxic or cut on
 * any (source, destination, stream), added in one batch so every selected link changes at the same instant, on
 * live and future connections. Each handle removes exactly its own toxics; `heal` removes every link toxic.
 * `linkFaults` lists what is left: link toxics, and proxy-level toxics or disabled proxies if anyone made them.
 *
 * @example
 * const links = proxyLinkToxics(ext, toxiproxy);
 * const slow = await links.addLinkToxics([{ source: "n2", destination: "n1", stream: "upstream" }],
 *   { type: "bandwidth", attributes: { rate: 16 } });
 * await slow.heal();
 */
export function proxyLinkToxics(
  ext: FaultlineProxyClient,
  toxiproxy: Toxiproxy,
  proxies: () => readonly string[],
): LinkToxicable & Partitionable {
  return {
    granularity: "link",
    addLinkToxics: (rules, toxic) =>
      addProxyLinkToxics(ext, rules, toxic, toxic.type === "latency" ? "delay" : "toxic"),
    cutLinks: (rules, options?: { readonly cut?: LinkCutStyle }) =>
      addProxyLinkToxics(ext, rules, { type: options?.cut ?? "blackhole" }, "cut"),
    heal: () => ext.removeAllLinkToxics(),
    async linkFaults() {
      const links = (await ext.listLinkToxics()).map(
        (t) => `link toxic ${t.name} (${t.type} ${t.stream} on ${t.source}->${t.destination})`,
      );
      return [...links, ...(await proxyToxicFaults(toxiproxy, proxies()))];
    },
  };
}
