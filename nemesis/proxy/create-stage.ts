import { BandwidthStage } from "./stage-bandwidth.js";
import { BlackholeStage } from "./stage-blackhole.js";
import { LimitDataStage, ResetPeerStage, SlowCloseStage, TimeoutStage } from "./stage-closers.js";
import { LatencyStage } from "./stage-latency.js";
import { SlicerStage } from "./stage-slicer.js";
import { NoopStage, type LinkControl, type Receiver, type Stage } from "./stage.js";
import type { ToxicDef } from "./toxic-definition.js";

/** Creates the per-link instance of a toxic. `refuse` never reaches a chain (it acts on accept). */
export function createStage(def: ToxicDef, ctl: LinkControl, next: Receiver): Stage {
  switch (def.type) {
    case "latency":
      return new LatencyStage(def, ctl, next);
    case "bandwidth":
      return new BandwidthStage(def, ctl, next);
    case "slow_close":
      return new SlowCloseStage(def, ctl, next);
    case "timeout":
      return new TimeoutStage(def, ctl, next);
    case "reset_peer":
      return new ResetPeerStage(def, ctl, next);
    case "slicer":
      return new SlicerStage(def, ctl, next);
    case "limit_data":
      return new LimitDataStage(def, ctl, next);
    case "blackhole":
      return new BlackholeStage(def, ctl, next);
    case "noop":
    case "refuse":
      return new NoopStage(def, ctl, next);
  }
}
