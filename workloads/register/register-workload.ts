import type { Workload } from "../workload.js";
import { registerGenerator, type RegisterGeneratorState } from "./register-generator.js";

/** Options of {@link registerWorkload}; every field has a default. */
export interface RegisterWorkloadOptions {
  /** How many registers ops spread over (default 3: few enough that processes contend). */
  keys?: number;
  /** Fraction of reads (default 0.4). */
  readFraction?: number;
  /** Fraction of writes (default 0.3); the rest are compare-and-sets. */
  writeFraction?: number;
}

/**
 * The `register` workload: reads, writes and compare-and-sets of unique integers on a few keys (`r0`, `r1`, …),
 * all on the leader; the final reads read every key. Judged by `linearizable` with the
 * `cas-register` model, key by key: a cas that ran and did not swap completes `fail` without an error, as the
 * model's contract asks. Under `partition-leader` the isolated leader and the new one both acknowledge ops, which
 * no single order explains.
 *
 * @example
 * const w = registerWorkload({ keys: 2 });
 * w.finalReads; // [{ f: "read", key: "r0", value: null }, { f: "read", key: "r1", value: null }]
 */
export function registerWorkload(options: RegisterWorkloadOptions = {}): Workload<RegisterGeneratorState> {
  const o = resolveRegisterOptions(options);
  const keys = Array.from({ length: o.keys }, (_, i) => `r${i}`);
  return {
    name: "register",
    description:
      "read / write / compare-and-set of unique integers on a few keys at the leader → linearizable " +
      "(cas-register model, per key)",
    generator: registerGenerator({ keys, readFraction: o.readFraction, writeFraction: o.writeFraction }),
    isWrite: (op) => op.f === "write" || op.f === "cas",
    usesFollowers: false,
    finalReads: keys.map((key) => ({ f: "read", key, value: null })),
    checkers: [{ name: "linearizable", options: { model: "cas-register" } }],
  };
}

/** Fills in {@link RegisterWorkloadOptions}' defaults and checks them (a RangeError names the bad option). */
export function resolveRegisterOptions(options: RegisterWorkloadOptions): Required<RegisterWorkloadOptions> {
  const o = {
    keys: options.keys ?? 3,
    readFraction: options.readFraction ?? 0.4,
    writeFraction: options.writeFraction ?? 0.3,
  };
  if (!Number.isInteger(o.keys) || o.keys < 1) throw new RangeError(`keys must be ≥ 1, got ${o.keys}`);
  for (const name of ["readFraction", "writeFraction"] as const) {
    if (!(o[name] >= 0 && o[name] <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${o[name]}`);
  }
  if (o.readFraction + o.writeFraction > 1) {
    throw new RangeError(
      `readFraction + writeFraction must be at most 1, got ${o.readFraction + o.writeFraction}`,
    );
  }
  return o;
}
