import { canAddLinkToxics, type LinkRule, type LinkToxic } from "../../core/cluster/index.js";
import { isFaultlineError } from "../../core/errors/index.js";
import { FaultNotApplied, type ActiveFault } from "../core/index.js";
import { resolveLinks, type FaultWindow, type LinkParams, type StreamChoice } from "../schedule/index.js";
import { fireContext, type WindowContext } from "./window-context.js";

type LinkWindow = Extract<FaultWindow, { fault: "latency" | "link" }>;

/** The Toxiproxy toxic a window puts on its links (Toxiproxy's attribute names and units). */
export function windowToxic(window: LinkWindow): LinkToxic {
  if (window.fault === "latency") {
    return { type: "latency", attributes: { latency: window.params.latency, jitter: window.params.jitter } };
  }
  const p: LinkParams = window.params;
  switch (p.toxic) {
    case "bandwidth":
      return { type: "bandwidth", attributes: { rate: p.rate } };
    case "reset":
      return { type: "reset_peer", attributes: { timeout: p.timeout } };
    case "slicer":
      return {
        type: "slicer",
        attributes: { average_size: p.averageSize, size_variation: p.sizeVariation, delay: p.delay },
      };
    case "limit-data":
      return { type: "limit_data", attributes: { bytes: p.bytes } };
    case "blackhole":
      return { type: "blackhole" };
  }
}

function streams(choice: StreamChoice): ("upstream" | "downstream")[] {
  return choice === "both" ? ["upstream", "downstream"] : [choice];
}

/**
 * Starts a latency or link-toxic window: resolves its links when it fires (`resolveLinks`: `replication` is each
 * follower's link to the leader of the moment, `client-leader` each client's link to it, …) and puts the toxic on
 * the chosen stream(s) of all of them at one instant. The value records the links, streams and toxic.
 */
export async function startLinkFault(window: LinkWindow, ctx: WindowContext): Promise<ActiveFault> {
  const { cluster } = ctx;
  if (!canAddLinkToxics(cluster)) {
    throw new FaultNotApplied("this cluster cannot put toxics on links (link faults need the proxy network)");
  }
  const fire = await fireContext(window, ctx);
  const pairs = resolveLinks(window.target, fire);
  if (pairs.length === 0) {
    throw new FaultNotApplied(`no ${window.target} link now (no leader known, or no such connection)`);
  }
  const chosen = streams(window.params.stream);
  const rules: LinkRule[] = pairs.flatMap((p) => chosen.map((stream) => ({ ...p, stream })));
  const toxic = windowToxic(window);
  let handle;
  try {
    handle = await cluster.addLinkToxics(rules, toxic);
  } catch (err) {
    // Refused before anything was added: the fault did not happen.
    if (isFaultlineError(err) && err.code === "LINK_NOT_EXPRESSIBLE") throw new FaultNotApplied(err.message);
    throw err;
  }
  const links = pairs.map((p) => `${p.source}->${p.destination}`);
  const value = { links, streams: chosen, toxic: toxic.type, attributes: toxic.attributes ?? {} };
  return {
    value,
    async stop() {
      await handle.heal();
      return { links, healed: rules.length };
    },
  };
}
