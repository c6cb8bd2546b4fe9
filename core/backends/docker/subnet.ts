import { networkInterfaces } from "node:os";
import { randomInt } from "node:crypto";

/** An IPv4 range as inclusive 32-bit bounds. */
interface Range {
  first: number;
  last: number;
}

/**
 * Picks a free `/24` for a run's bridge network inside `pool` (default `10.213.0.0/16`): one that overlaps no
 * subnet in `taken` (the engine's other networks) and no address range of this machine's interfaces, so the
 * containers' addresses can never shadow a real route. Starts at a random `/24` so concurrent runs rarely
 * collide (the engine refuses an overlapping pool, and the caller then tries again).
 *
 * @example
 * chooseSubnet(["172.17.0.0/16"]); // "10.213.57.0/24"
 */
export function chooseSubnet(taken: readonly string[], pool = "10.213.0.0/16"): string {
  const base = parseCidr(pool);
  const count = Math.max(1, (base.last - base.first + 1) >>> 8);
  const busy = [...taken, ...interfaceCidrs()].flatMap((c) => {
    try {
      return [parseCidr(c)];
    } catch {
      return [];
    }
  });
  const start = randomInt(count);
  for (let k = 0; k < count; k++) {
    const first = base.first + ((start + k) % count) * 256;
    const candidate = { first, last: first + 255 };
    if (!busy.some((b) => b.first <= candidate.last && candidate.first <= b.last)) {
      return `${toIp(first)}/24`;
    }
  }
  throw new Error(`no free /24 left in ${pool}`);
}

/** The `n`-th address of a subnet (`hostAddress("10.213.57.0/24", 11)` = `10.213.57.11`). */
export function hostAddress(cidr: string, n: number): string {
  return toIp(parseCidr(cidr).first + n);
}

/** Parses `a.b.c.d/len` into its range. */
export function parseCidr(cidr: string): Range {
  const [ip, lenText] = cidr.split("/");
  const len = Number(lenText ?? "32");
  const parts = (ip ?? "").split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255)) || !(len >= 0 && len <= 32)) {
    throw new Error(`not an IPv4 CIDR: ${cidr}`);
  }
  const value = ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
  const size = 2 ** (32 - len);
  const first = value - (value % size);
  return { first, last: first + size - 1 };
}

function toIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

function interfaceCidrs(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((i) => (i && i.family === "IPv4" && i.cidr ? [i.cidr] : []));
}
