import { closeSync, openSync, writeSync } from "node:fs";
import { CLOCK_SHIM_STEM } from "./build-clock-shim.js";

/** How a skewed process's clock runs. */
export interface ClockSkew {
  /** Added to its wall clock, in ms (signed); changed at run time by {@link ClockControl.setOffset}. */
  readonly offsetMs: number;
  /** Speed of its wall and monotonic clocks relative to real time (1 = real time). */
  readonly rate: number;
}

/**
 * The harness's side of one process's clock shim: the control file the shim maps (a sequence number and the
 * wall-clock offset in ns, written as a seqlock so the shim never reads half an update) and the environment that
 * starts a process under the shim.
 *
 * @example
 * const control = ClockControl.create(`${dir}/clock.ctl`, { offsetMs: 0, rate: 1 });
 * await cluster.restart("s1", { env: control.environment(shim) });
 * control.setOffset(30_000); // s1's wall clock jumps 30 s ahead now
 */
export class ClockControl {
  #seq = 0;
  #offsetMs: number;

  private constructor(
    /** The control file. */
    readonly file: string,
    readonly rate: number,
    offsetMs: number,
  ) {
    this.#offsetMs = offsetMs;
  }

  /** Creates (or truncates) the control file with the skew's offset. */
  static create(file: string, skew: ClockSkew): ClockControl {
    if (!(skew.rate > 0) || !Number.isFinite(skew.rate)) {
      throw new RangeError(`a clock rate must be a positive number, got ${skew.rate}`);
    }
    const control = new ClockControl(file, skew.rate, skew.offsetMs);
    const fd = openSync(file, "w");
    try {
      writeSync(fd, encode(0, skew.offsetMs), 0, 16, 0);
    } finally {
      closeSync(fd);
    }
    return control;
  }

  /** The wall-clock offset in force, in ms. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Moves the wall clock of the process(es) under this control to real time + `offsetMs`, at once. */
  setOffset(offsetMs: number): void {
    const fd = openSync(this.file, "r+");
    try {
      const odd = Buffer.alloc(8);
      odd.writeBigInt64LE(BigInt(++this.#seq * 2 - 1));
      writeSync(fd, odd, 0, 8, 0);
      const value = Buffer.alloc(8);
      value.writeBigInt64LE(BigInt(Math.round(offsetMs)) * 1_000_000n);
      writeSync(fd, value, 0, 8, 8);
      const even = Buffer.alloc(8);
      even.writeBigInt64LE(BigInt(this.#seq * 2));
      writeSync(fd, even, 0, 8, 0);
    } finally {
      closeSync(fd);
    }
    this.#offsetMs = offsetMs;
  }

  /** The environment that starts a process under the shim at `shim`, reading this control. */
  environment(shim: string): Record<string, string> {
    return {
      LD_PRELOAD: shim,
      FAULTLINE_CLOCK_FILE: this.file,
      FAULTLINE_CLOCK_RATE_PPM: String(Math.round(this.rate * 1_000_000)),
    };
  }
}

function encode(seq: number, offsetMs: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeBigInt64LE(BigInt(seq), 0);
  b.writeBigInt64LE(BigInt(Math.round(offsetMs)) * 1_000_000n, 8);
  return b;
}

/** Whether a preloaded library is a clock skewer: faultline's shim or libfaketime. */
export function isClockShim(library: string): boolean {
  return library.includes(CLOCK_SHIM_STEM) || /faketime/.test(library);
}
