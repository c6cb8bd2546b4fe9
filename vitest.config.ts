import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Two projects: `unit` (pure logic, fast-check properties, proxy data path over loopback sockets) runs files in
 * parallel; `e2e` (real redis-server / Sentinel clusters) runs one file at a time, because a 2-core machine
 * running two clusters at once makes Sentinel timings (down-after 1 s) flaky.
 */
export default defineConfig({
  test: {
    projects: [
      {
        // The README's checker example (examples/checkers) imports "faultline/checkers" as users do.
        resolve: {
          alias: [
            {
              find: /^faultline\/checkers$/,
              replacement: fileURLToPath(new URL("./checkers/index.ts", import.meta.url)),
            },
          ],
        },
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts", "test/property/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // The documented example (examples/vitest) runs here too, against the real cluster, importing "faultline"
        // as users do (the alias points it at the sources).
        resolve: { alias: { faultline: fileURLToPath(new URL("./index.ts", import.meta.url)) } },
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts", "examples/vitest/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
