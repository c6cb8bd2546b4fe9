import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_STORE, STORES, storeAdapter } from "../../stores/index.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** Every TypeScript source file under `dir` (relative to the repository). */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...sources(rel));
    else if (name.endsWith(".ts")) out.push(rel);
  }
  return out;
}

/** A store's words and commands: its name, its failover manager, its client library, its commands. */
const STORE_WORDS = /redis|sentinel|ioredis|\b(SADD|SMEMBERS|INCRBY|RPUSH|LRANGE|HSET|ZADD)\b/i;

describe("the store seam", () => {
  it("should name Redis, Sentinel, ioredis or a Redis command nowhere outside stores/redis-sentinel/ but in the registry line", () => {
    const files = [
      ...["harness", "nemesis", "checkers", "workloads", "core"].flatMap((d) => sources(d)),
      ...sources("stores").filter((f) => !f.startsWith(join("stores", "redis-sentinel"))),
      "index.ts",
    ];
    expect(files.length).toBeGreaterThan(300);
    const offending: string[] = [];
    for (const file of files) {
      readFileSync(join(ROOT, file), "utf8")
        .split("\n")
        .forEach((line, i) => {
          // The one line a store takes in the registry, and the public API's re-export of its test cluster.
          const registryLine =
            (file === join("stores", "registry.ts") || file === "index.ts") &&
            /from "\.\/(stores\/)?redis-sentinel\/index\.js"|\[redisSentinel,/.test(line);
          if (STORE_WORDS.test(line) && !registryLine) {
            offending.push(`${relative(ROOT, join(ROOT, file))}:${i + 1}: ${line.trim()}`);
          }
        });
    }
    expect(offending).toEqual([]);
  });

  it("should find every registered store by its kind, the first being the default", () => {
    expect(DEFAULT_STORE).toBe(STORES[0]!.kind);
    for (const s of STORES) expect(storeAdapter(s.kind)).toBe(s);
    expect(() => storeAdapter("no-such-store")).toThrow(/unknown store "no-such-store".*|choose one of/);
  });
});
