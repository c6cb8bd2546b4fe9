/**
 * The unit of a link's toxic chain. A stage receives items (chunks, or an end marker) in order, works on one at a
 * time, and passes results to the next receiver (another stage, or the link's sink that writes to the socket).
 * Everything is synchronous except the timers a stage sets, so a stage can always be spliced out, updated or
 * flushed at once: that is why no API call ever waits on a link.
 */
import { Fifo } from "./fifo.js";
import type { ToxicDef } from "./toxic-definition.js";
import { drawApplies, type DrawUse } from "./toxic-draws.js";

/** A piece of the byte stream, stamped with the time it was read (ms, `performance.now()` clock). */
export interface Chunk {
  readonly data: Buffer;
  /** When the bytes were read; latency toxics advance it (stacking, measured from read time). */
  ts: number;
}

/**
 * The end of a stream. `eof`: the source sent FIN (forwarded as a half-close). `close`: a toxic closed the stream
 * (`timeout`, `limit_data`), forwarded as a full close of the destination socket, as Toxiproxy does.
 */
export interface End {
  readonly end: "eof" | "close";
}

/** What travels through a chain. */
export type Item = Chunk | End;

/** A timer may fire this much before its due time (clock read jitter) without being re-armed. */
const EARLY_TOLERANCE_MS = 0.05;

/** Natural end of stream. */
export const END_EOF: End = Object.freeze({ end: "eof" });
/** End of stream decided by a toxic. */
export const END_CLOSE: End = Object.freeze({ end: "close" });

/** Whether an item is a chunk of bytes. */
export function isChunk(item: Item): item is Chunk {
  return (item as Chunk).data !== undefined;
}

/** Anything that accepts items in order. */
export interface Receiver {
  write(item: Item): void;
}

/** What a stage may ask of the link it sits on. */
export interface LinkControl {
  /** Monotonic clock in ms. */
  now(): number;
  /**
   * The draws (uniform in [0, 1)) of the toxic `def` on this link: its toxicity draw, jitter and cut points.
   * Seeded per (proxy, toxic, connection, stream), see `toxic-draws.ts`.
   */
  drawsFor(def: ToxicDef, use: DrawUse): () => number;
  /** Bytes a stage discarded on purpose (for backpressure accounting). */
  dropped(bytes: number): void;
  /** Stops (or resumes) reading the link's source socket on behalf of `holder`. */
  hold(holder: object, on: boolean): void;
  /** Resets (RST) both sockets of the connection. */
  resetConnection(): void;
}

/** A toxic attached to one link: the per-connection, per-direction instance of a {@link ToxicDef}. */
export abstract class Stage implements Receiver {
  /** Where this stage's output goes. */
  next: Receiver;
  /** The revision of the definition this stage last applied. */
  appliedRevision: number;
  protected readonly queue = new Fifo<Item>();
  /** Items taken off the queue and not yet forwarded (the item a timer is running for). */
  protected inFlight: Item[] = [];
  /** Whether the toxicity draw made this toxic apply to this link. */
  protected active: boolean;
  protected dead = false;
  /** This toxic's own draws on this link for jitter and cut points. */
  protected readonly random: () => number;
  /** This toxic's own draws on this link for whether it applies (at start, then at each update). */
  private readonly toxicityDraws: () => number;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly def: ToxicDef,
    protected readonly ctl: LinkControl,
    next: Receiver,
  ) {
    this.next = next;
    this.appliedRevision = def.revision;
    this.random = ctl.drawsFor(def, "chunks");
    this.toxicityDraws = ctl.drawsFor(def, "toxicity");
    this.active = drawApplies(def.toxicity, this.toxicityDraws);
  }

  /** Called once the stage is wired into the chain. */
  start(): void {}

  /** Accepts the next item. */
  write(item: Item): void {
    if (this.dead) return;
    this.queue.push(item);
    this.pump();
  }

  /**
   * Removes the stage from its chain: cancels its timers and forwards whatever it holds, in order, to `successor`
   * (the stage that now follows its predecessor).
   */
  detach(successor: Receiver): void {
    this.clearTimer();
    const held = [...this.release(), ...this.queue.drain()];
    this.dead = true;
    this.next = successor;
    this.onDetach();
    for (const item of held) successor.write(item);
  }

  /** Applies a changed definition (attributes or toxicity): re-draws toxicity and reprocesses held items. */
  reconfigure(): void {
    if (this.dead) return;
    this.appliedRevision = this.def.revision;
    if (!this.interruptible()) return;
    this.clearTimer();
    this.queue.unshiftAll(this.release());
    const was = this.active;
    this.active = drawApplies(this.def.toxicity, this.toxicityDraws);
    this.onReconfigure(was);
    this.pump();
  }

  /** The connection is gone: drop everything and stop all timers. */
  destroy(): void {
    this.dead = true;
    this.clearTimer();
    this.inFlight = [];
    this.queue.drain();
    this.onDestroy();
  }

  /** Processes one item while active: forward it (`emit`), or park it in `inFlight` and `schedule`. */
  protected abstract process(item: Item): void;

  /** Returns (and forgets) the held items to forward on removal or reprocess on update. */
  protected release(): Item[] {
    const held = this.inFlight;
    this.inFlight = [];
    return held;
  }

  /** Whether an update may interrupt the stage now (reset_peer's armed sleep may not). */
  protected interruptible(): boolean {
    return true;
  }

  protected onReconfigure(_wasActive: boolean): void {}
  protected onDetach(): void {}
  protected onDestroy(): void {}

  protected emit(item: Item): void {
    this.next.write(item);
  }

  /**
   * Runs `fn` once `ms` have passed (at least 1 ms: Node's timer floor), then resumes processing the queue.
   * Never early: libuv measures timers from its cached loop time, which can lag the real clock, so a timer that
   * fires before its real due time is re-armed for the rest.
   */
  protected schedule(ms: number, fn: () => void): void {
    this.clearTimer();
    const due = this.ctl.now() + ms;
    const fire = (): void => {
      this.timer = null;
      if (this.dead) return;
      const left = due - this.ctl.now();
      if (left > EARLY_TOLERANCE_MS) {
        this.timer = setTimeout(fire, Math.max(1, Math.ceil(left)));
        return;
      }
      fn();
      this.pump();
    };
    this.timer = setTimeout(fire, Math.max(1, Math.ceil(ms)));
  }

  protected pump(): void {
    while (!this.dead && this.inFlight.length === 0 && this.timer === null && this.queue.length > 0) {
      const item = this.queue.shift()!;
      if (this.active) this.process(item);
      else this.emit(item);
    }
  }

  protected clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** `noop`: passes everything through. */
export class NoopStage extends Stage {
  protected process(item: Item): void {
    this.emit(item);
  }
}
