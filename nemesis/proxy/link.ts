/**
 * One direction of a proxied connection: bytes read from `src` go through a chain of toxic stages and are written
 * to `dst`. With no toxic on it the link is on the **fast path**: each chunk is written straight to `dst` from the
 * `data` handler, which is what `socket.pipe()` does, so an unfaulted link costs what a bare pipe costs.
 * Switching between the fast path and the chain happens between two chunks, and the chain is emptied (flushed
 * forward synchronously) before the fast path resumes, so no byte is lost or reordered.
 *
 * Backpressure: the source is paused while the destination's `write()` says its buffer is full, while the chain
 * holds more than {@link CHAIN_HIGH_WATER} bytes, and while a blackhole holds the stream.
 */
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { createStage } from "./create-stage.js";
import { END_EOF, isChunk, type Item, type LinkControl, type Receiver, type Stage } from "./stage.js";
import type { ToxicDef } from "./toxic-definition.js";
import type { DrawUse } from "./toxic-draws.js";
import type { Stream } from "./toxic-types.js";

/** Bytes a chain may hold before the source is paused (enough for 100+ MB/s through a 100 ms latency). */
export const CHAIN_HIGH_WATER = 16 * 1024 * 1024;
const CHAIN_LOW_WATER = CHAIN_HIGH_WATER / 2;

const PAUSE_DRAIN = 1;
const PAUSE_FULL = 2;
const PAUSE_HOLD = 4;

/** What a link needs from its connection. */
export interface LinkOwner {
  /** The link delivered the end of its stream (`close`: a toxic closed it, so close `dst` fully). */
  linkEnded(link: Link, full: boolean): void;
  /** A reset_peer toxic fired. */
  resetConnection(): void;
  /** The draws of toxic `def` on this connection's `stream` (see `toxic-draws.ts`). */
  drawsFor(def: ToxicDef, stream: Stream, use: DrawUse): () => number;
}

/** One direction (upstream or downstream) of a connection. */
export class Link implements LinkControl {
  private stages: Stage[] = [];
  private entry: Receiver;
  private fast = true;
  private inflight = 0;
  private pauses = 0;
  private readonly holders = new Set<object>();
  private srcEnded = false;
  private ended = false;
  private dstDead = false;
  private readonly sink: Receiver = { write: (item) => this.deliver(item) };

  constructor(
    private readonly owner: LinkOwner,
    readonly stream: Stream,
    private readonly src: Socket,
    private readonly dst: Socket,
  ) {
    this.entry = this.sink;
  }

  /** Starts moving bytes with the given toxics. */
  start(defs: readonly ToxicDef[]): void {
    this.sync(defs);
    this.src.on("data", this.onData);
    this.src.on("end", this.onSrcEnd);
    this.dst.on("drain", this.onDrain);
  }

  /** Whether the link has delivered the end of its stream. */
  get isEnded(): boolean {
    return this.ended;
  }

  /** Whether the link is on the fast path (no toxic). */
  get isFast(): boolean {
    return this.fast;
  }

  /**
   * Makes the chain match `defs` (in order): keeps the stages whose definition is still wanted (reconfiguring
   * those whose revision changed), creates stages for new definitions, and splices out the others, forwarding
   * what they hold to their successors (closest to the destination first, so order is kept).
   */
  sync(defs: readonly ToxicDef[]): void {
    if (this.ended && this.stages.length === 0) return;
    const old = this.stages;
    const created: Stage[] = [];
    const next = defs.map((def) => {
      const kept = old.find((s) => s.def === def);
      if (kept) return kept;
      const stage = createStage(def, this, this.sink);
      created.push(stage);
      return stage;
    });
    for (let i = next.length - 1; i >= 0; i--) next[i]!.next = next[i + 1] ?? this.sink;
    this.stages = next;
    this.entry = next[0] ?? this.sink;
    if (next.length > 0) this.fast = false;
    for (let i = old.length - 1; i >= 0; i--) {
      const stage = old[i]!;
      if (next.includes(stage)) continue;
      const successor = old.slice(i + 1).find((s) => next.includes(s)) ?? this.sink;
      stage.detach(successor);
    }
    for (const stage of next) {
      if (!created.includes(stage) && stage.appliedRevision !== stage.def.revision) stage.reconfigure();
    }
    for (const stage of created) stage.start();
    if (next.length === 0) this.fast = true;
  }

  /** The source socket is gone (closed or errored): treat it as the end of the stream. */
  srcClosed(): void {
    this.onSrcEnd();
  }

  /** The destination socket is gone: discard what the link still produces and stop pausing the source. */
  dstClosed(): void {
    this.dstDead = true;
    this.holders.clear();
    this.setPause(PAUSE_DRAIN | PAUSE_FULL | PAUSE_HOLD, false);
  }

  /** The connection is over: stop every timer. */
  destroy(): void {
    for (const stage of this.stages) stage.destroy();
    this.stages = [];
    this.entry = this.sink;
    this.src.off("data", this.onData);
    this.src.off("end", this.onSrcEnd);
    this.dst.off("drain", this.onDrain);
  }

  // LinkControl, used by the stages.
  now(): number {
    return performance.now();
  }
  drawsFor(def: ToxicDef, use: DrawUse): () => number {
    return this.owner.drawsFor(def, this.stream, use);
  }
  dropped(bytes: number): void {
    this.inflight -= bytes;
    this.checkLowWater();
  }
  hold(holder: object, on: boolean): void {
    if (on && !this.dstDead) this.holders.add(holder);
    else this.holders.delete(holder);
    this.setPause(PAUSE_HOLD, this.holders.size > 0);
  }
  resetConnection(): void {
    // Deferred: a stage asks from inside the chain, and the reset destroys the chain.
    process.nextTick(() => this.owner.resetConnection());
  }

  private readonly onData = (data: Buffer): void => {
    if (this.fast) {
      if (!this.dstDead && !this.dst.write(data)) this.setPause(PAUSE_DRAIN, true);
      return;
    }
    this.inflight += data.length;
    if (this.inflight >= CHAIN_HIGH_WATER) this.setPause(PAUSE_FULL, true);
    this.entry.write({ data, ts: performance.now() });
  };

  private readonly onSrcEnd = (): void => {
    if (this.srcEnded) return;
    this.srcEnded = true;
    this.entry.write(END_EOF);
  };

  private readonly onDrain = (): void => {
    this.setPause(PAUSE_DRAIN, false);
  };

  private deliver(item: Item): void {
    if (isChunk(item)) {
      this.inflight -= item.data.length;
      if (!this.ended && !this.dstDead && !this.dst.write(item.data)) this.setPause(PAUSE_DRAIN, true);
      this.checkLowWater();
      return;
    }
    if (this.ended) return;
    this.ended = true;
    this.owner.linkEnded(this, item.end === "close");
  }

  private checkLowWater(): void {
    if (this.pauses & PAUSE_FULL && this.inflight <= CHAIN_LOW_WATER) this.setPause(PAUSE_FULL, false);
  }

  private setPause(reason: number, on: boolean): void {
    const before = this.pauses;
    if (on && !this.dstDead) this.pauses |= reason;
    else this.pauses &= ~reason;
    if (before === 0 && this.pauses !== 0) this.src.pause();
    else if (before !== 0 && this.pauses === 0 && !this.src.destroyed) this.src.resume();
  }
}
