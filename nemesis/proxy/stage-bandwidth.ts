import { isChunk, Stage, type Chunk, type Item } from "./stage.js";

/**
 * `bandwidth`: at most `rate` KB/s (KB = 1000 bytes, so `rate` bytes per ms) on this link. Each piece is
 * forwarded once its transmission time has elapsed on a virtual clock; chunks larger than `rate × 100` bytes are
 * cut into `rate × 100`-byte pieces (one per 100 ms), as Toxiproxy does. Waits under 1 ms are not slept but
 * carried on the clock, so Node's 1 ms timer floor does not throttle high rates. `rate: 0` stalls the link
 * (nothing is forwarded, the connection stays open) until the toxic is updated or removed.
 */
export class BandwidthStage extends Stage {
  private clock = 0;

  protected process(item: Item): void {
    if (!isChunk(item)) {
      this.emit(item);
      return;
    }
    const rate = this.def.attributes.rate ?? 0;
    if (rate <= 0) {
      this.inFlight = [item]; // stalled until an update or removal releases it
      return;
    }
    const max = rate * 100;
    const piece: Chunk = item.data.length > max ? { data: item.data.subarray(0, max), ts: item.ts } : item;
    const rest: Chunk | undefined =
      item.data.length > max ? { data: item.data.subarray(max), ts: item.ts } : undefined;
    const now = this.ctl.now();
    this.clock = Math.max(this.clock, now) + piece.data.length / rate;
    const wait = this.clock - now;
    if (wait < 1) {
      this.emit(piece);
      if (rest) this.process(rest);
      return;
    }
    this.inFlight = rest ? [piece, rest] : [piece];
    this.schedule(wait, () => {
      this.inFlight = [];
      this.emit(piece);
      if (rest) this.process(rest);
    });
  }

  protected override release(): Item[] {
    const held = super.release();
    if (held.length === 2) {
      // The piece and the rest of one chunk: hand them back as one chunk.
      const [a, b] = held as Chunk[];
      return [{ data: Buffer.concat([a!.data, b!.data]), ts: a!.ts }];
    }
    return held;
  }

  protected override onReconfigure(): void {
    this.clock = 0;
  }
}
