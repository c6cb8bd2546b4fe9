import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { FaultlineError } from "../errors/index.js";

/** One installed npm package: its directory, and where it goes under the image's application directory. */
export interface RuntimePackage {
  name: string;
  dir: string;
  /** Path relative to the application root (`node_modules/pino`, `node_modules/a/node_modules/b`). */
  target: string;
}

/**
 * The npm packages faultline needs at run time: the closure of `dependencies` (and installed
 * `optionalDependencies`) of the package at `root`, found with Node's lookup (each `node_modules` from the
 * requiring package's directory upward), so nested copies of conflicting versions are kept where they are.
 * Development dependencies are left out, except those named in `extra` (see {@link importedPackages}).
 *
 * @example
 * runtimePackages(packageRoot()).map((p) => p.target); // ["node_modules/commander", "node_modules/pino", …]
 */
export function runtimePackages(root: string, extra: readonly string[] = []): RuntimePackage[] {
  const found = new Map<string, RuntimePackage>();
  const visit = (fromDir: string, name: string, optional: boolean): void => {
    const dir = lookup(fromDir, name);
    if (!dir) {
      if (optional) return;
      throw new FaultlineError(
        "IMAGE_BUILD_FAILED",
        `the npm package ${name} (needed by ${fromDir}) is not installed`,
        {
          details: { name, from: fromDir },
          hint: "run `npm ci` in the faultline checkout, then build again",
        },
      );
    }
    if (found.has(dir)) return;
    const rel = relative(root, dir);
    const target = rel.startsWith("..") ? join("node_modules", name) : rel;
    found.set(dir, { name, dir, target });
    const pkg = readManifest(dir);
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dir, dep, false);
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) visit(dir, dep, true);
  };
  const top = readManifest(root);
  for (const dep of Object.keys(top.dependencies ?? {})) visit(root, dep, false);
  for (const dep of extra) visit(root, dep, true);
  return [...found.values()].sort((a, b) => a.target.localeCompare(b.target));
}

function lookup(fromDir: string, name: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, "node_modules", ...name.split("/"));
    if (existsSync(join(candidate, "package.json"))) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    // Never climb out of a node_modules folder into the package that contains it by its scope folder.
    dir = up.endsWith(`${sep}node_modules`) ? dirname(up) : up;
  }
}

function readManifest(dir: string): {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
} {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
}

/**
 * The npm packages the compiled code under `dir` imports by name (`import … from "pino"`, `import("x")`), so an
 * image carries what the code really loads even when a package is declared only for development.
 *
 * @example
 * importedPackages(join(packageRoot(), "dist")); // ["commander", "pino", …]
 */
export function importedPackages(dir: string): string[] {
  const names = new Set<string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".js")) {
        const text = readFileSync(p, "utf8");
        for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"'./][^"']*)["']/g)) {
          const spec = m[1]!;
          if (spec.startsWith("node:")) continue;
          const parts = spec.split("/");
          names.add(spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!);
        }
      }
    }
  };
  walk(dir);
  return [...names].sort();
}
