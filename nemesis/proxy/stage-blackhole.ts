import { Stage, type Item } from "./stage.js";

/**
 * `blackhole` (faultline's cut): holds every byte of the stream without dropping it and stops reading the
 * source socket, so TCP backpressure reaches the sender as it would during a partition. Removal (or an update
 * to toxicity 0) releases what it held, in order, and reading resumes.
 */
export class BlackholeStage extends Stage {
  override start(): void {
    if (this.active) this.ctl.hold(this, true);
  }

  protected process(item: Item): void {
    this.inFlight.push(item);
  }

  protected override pump(): void {
    if (this.active) {
      // Hold: move everything to inFlight without forwarding.
      for (let item = this.queue.shift(); item !== undefined; item = this.queue.shift()) {
        this.inFlight.push(item);
      }
      return;
    }
    super.pump();
  }

  protected override onReconfigure(): void {
    this.ctl.hold(this, this.active);
  }

  protected override onDetach(): void {
    this.ctl.hold(this, false);
  }

  protected override onDestroy(): void {
    this.ctl.hold(this, false);
  }
}
