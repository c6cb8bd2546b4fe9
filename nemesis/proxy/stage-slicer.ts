import { isChunk, Stage, type Chunk, type Item } from "./stage.js";

/**
 * `slicer`: cuts each chunk into slices of about `average_size` bytes (± `size_variation`) and forwards them one
 * by one with `delay` µs after each. The cut points follow Toxiproxy's recursive halving with a random offset.
 * Node's timers cannot sleep less than 1 ms, so sub-millisecond delays are accumulated and slept in 1 ms steps:
 * the mean rate is right, slices between two sleeps leave back to back (COMPAT.md).
 */
export class SlicerStage extends Stage {
  private debtUs = 0;

  protected process(item: Item): void {
    if (!isChunk(item)) {
      this.emit(item);
      return;
    }
    const { average_size: avg = 1, size_variation: sv = 0 } = this.def.attributes;
    const bounds: number[] = [];
    this.cut(0, item.data.length, avg, sv, bounds);
    const slices: Chunk[] = [];
    let start = 0;
    for (const end of bounds) {
      slices.push({ data: item.data.subarray(start, end), ts: item.ts });
      start = end;
    }
    this.send(slices);
  }

  private send(slices: Chunk[]): void {
    const delayUs = this.def.attributes.delay ?? 0;
    while (slices.length > 0) {
      this.emit(slices.shift()!);
      this.debtUs += delayUs;
      if (this.debtUs >= 1000) {
        const ms = Math.floor(this.debtUs / 1000);
        this.debtUs -= ms * 1000;
        this.inFlight = slices;
        this.schedule(ms, () => {
          const rest = this.inFlight as Chunk[];
          this.inFlight = [];
          this.send(rest);
        });
        return;
      }
    }
  }

  /** Appends the end offsets of the slices of [start, end) to `out`, in order. */
  private cut(start: number, end: number, avg: number, sv: number, out: number[]): void {
    // An explicit stack instead of recursion: a 64 KiB chunk at average_size 1 is 65,536 slices.
    const stack: [number, number][] = [[start, end]];
    while (stack.length > 0) {
      const [s, e] = stack.pop()!;
      const size = e - s;
      if (size === 0) continue;
      if (size - avg <= sv) {
        out.push(e);
        continue;
      }
      let mid = s + Math.floor(size / 2);
      if (sv > 0) mid += Math.floor(this.random() * 2 * sv) - sv;
      mid = Math.min(e - 1, Math.max(s + 1, mid)); // never an empty half (Go can panic or loop here)
      stack.push([mid, e], [s, mid]);
    }
  }

  protected override release(): Item[] {
    const held = super.release() as Chunk[];
    if (held.length <= 1) return held;
    return [{ data: Buffer.concat(held.map((c) => c.data)), ts: held[0]!.ts }];
  }
}
