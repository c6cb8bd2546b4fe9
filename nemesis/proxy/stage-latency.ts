import { isChunk, Stage, type Item } from "./stage.js";

/**
 * `latency`: each chunk leaves no earlier than `read time + latency ± jitter` (ms). The delay is measured from
 * the chunk's timestamp, so a burst is delayed once, not once per chunk (pipelining), and the timestamp is
 * advanced by the delay, so stacked latency toxics add up. Chunks leave in order: jitter never reorders.
 * Jitter draws `latency + U` with `U` uniform in [−jitter, jitter − 1], as Toxiproxy does.
 */
export class LatencyStage extends Stage {
  protected process(item: Item): void {
    if (!isChunk(item)) {
      this.emit(item);
      return;
    }
    const { latency = 0, jitter = 0 } = this.def.attributes;
    let delay = latency;
    if (jitter > 0) delay += Math.floor(this.random() * 2 * jitter) - jitter;
    const deadline = item.ts + Math.max(0, delay);
    const wait = deadline - this.ctl.now();
    if (wait <= 0) {
      item.ts = deadline;
      this.emit(item);
      return;
    }
    this.inFlight = [item];
    this.schedule(wait, () => {
      this.inFlight = [];
      item.ts = deadline;
      this.emit(item);
    });
  }
}
