import type { Random } from "../../core/random/index.js";

/**
 * The pause before a process's next op that makes `concurrency` processes together average `rate` ops/s:
 * uniform in [0, 2·concurrency/rate] s (Jepsen's `stagger`), so ops do not march in lockstep. A rate of 0 means
 * no pause at all.
 *
 * @example
 * staggerMs(createRandom(1), { rate: 100, concurrency: 5 }); // somewhere in [0, 100) ms, 50 on average
 */
export function staggerMs(random: Random, options: { rate: number; concurrency: number }): number {
  if (options.rate <= 0) return 0;
  const meanMs = (1000 * options.concurrency) / options.rate;
  return random.next() * 2 * meanMs;
}
