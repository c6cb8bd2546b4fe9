#!/usr/bin/env node
// The faultline CLI. The TypeScript sources are compiled to dist/ by `npm run build`.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../dist/harness/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    "faultline: not built yet; run `npm ci && npm run build` in the faultline checkout first\n",
  );
  process.exit(255);
}
const { main } = await import(entry.href);
await main();
