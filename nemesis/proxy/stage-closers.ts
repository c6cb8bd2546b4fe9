import { END_CLOSE, isChunk, Stage, type Item } from "./stage.js";

/** `slow_close`: data passes untouched; the end of the stream is held back `delay` ms. */
export class SlowCloseStage extends Stage {
  protected process(item: Item): void {
    const delay = this.def.attributes.delay ?? 0;
    if (isChunk(item) || delay <= 0) {
      this.emit(item);
      return;
    }
    this.inFlight = [item];
    this.schedule(delay, () => {
      this.inFlight = [];
      this.emit(item);
    });
  }
}

/**
 * `timeout`: drops every chunk; with `timeout > 0` it closes the stream `timeout` ms after it started applying
 * to the link (a fixed deadline; Toxiproxy restarts its timer on every dropped chunk, see COMPAT.md). With
 * `timeout <= 0` it drops forever. Removing it closes the connection, because bytes were lost.
 */
export class TimeoutStage extends Stage {
  private closed = false;
  private deadline: NodeJS.Timeout | null = null;

  override start(): void {
    this.arm();
  }

  protected process(item: Item): void {
    if (isChunk(item)) {
      this.ctl.dropped(item.data.length);
      return;
    }
    this.close();
  }

  private arm(): void {
    this.disarm();
    const ms = this.def.attributes.timeout ?? 0;
    if (this.active && !this.closed && ms > 0) {
      this.deadline = setTimeout(() => this.close(), ms);
    }
  }

  private disarm(): void {
    if (this.deadline !== null) clearTimeout(this.deadline);
    this.deadline = null;
  }

  private close(): void {
    this.disarm();
    if (this.closed || this.dead) return;
    this.closed = true;
    this.active = true; // after closing, everything is dropped whatever the toxicity
    this.emit(END_CLOSE);
  }

  protected override onReconfigure(): void {
    if (this.closed) this.active = true;
    this.arm();
  }

  protected override onDetach(): void {
    this.disarm();
    if (this.active && !this.closed) {
      this.closed = true;
      this.next.write(END_CLOSE);
    }
  }

  protected override onDestroy(): void {
    this.disarm();
  }
}

/**
 * `reset_peer`: on the first chunk (or end) on this stream, drops it, waits `timeout` ms (not interruptible,
 * as in Toxiproxy), then resets both sockets with a real RST.
 */
export class ResetPeerStage extends Stage {
  private armed = false;
  private sleeping: NodeJS.Timeout | null = null;

  protected process(item: Item): void {
    if (isChunk(item)) this.ctl.dropped(item.data.length);
    if (this.armed) return;
    this.armed = true;
    const ms = this.def.attributes.timeout ?? 0;
    if (ms <= 0) {
      this.ctl.resetConnection();
      return;
    }
    this.sleeping = setTimeout(() => this.ctl.resetConnection(), ms);
  }

  protected override interruptible(): boolean {
    return !this.armed;
  }

  protected override onDetach(): void {
    // An armed reset is committed: the sleep cannot be interrupted, so the reset still happens.
  }

  protected override onDestroy(): void {
    if (this.sleeping !== null) clearTimeout(this.sleeping);
  }
}

/**
 * `limit_data`: forwards at most `bytes` bytes on this link (the chunk that crosses the limit is truncated), then
 * closes the stream. The count is per connection and direction and survives updates.
 */
export class LimitDataStage extends Stage {
  private transmitted = 0;
  private closed = false;

  protected process(item: Item): void {
    if (this.closed) {
      if (isChunk(item)) this.ctl.dropped(item.data.length);
      return;
    }
    if (!isChunk(item)) {
      this.emit(item);
      return;
    }
    const limit = this.def.attributes.bytes ?? 0;
    const remaining = Math.max(0, limit - this.transmitted);
    if (item.data.length > remaining) {
      this.ctl.dropped(item.data.length - remaining);
      if (remaining > 0) this.emit({ data: item.data.subarray(0, remaining), ts: item.ts });
      this.transmitted += remaining;
    } else {
      this.emit(item);
      this.transmitted += item.data.length;
    }
    if (this.transmitted >= limit) {
      this.closed = true;
      this.emit(END_CLOSE);
    }
  }

  protected override onReconfigure(): void {
    if (this.closed) this.active = true;
  }
}
