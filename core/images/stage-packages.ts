import { execFileSync } from "node:child_process";
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readlinkSync,
  readSync,
  symlinkSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { FaultlineError } from "../errors/index.js";
import { sharedLibraries, stageFile } from "./stage-rootfs.js";

/** Paths of installed packages an image never needs (documentation, manuals, service files). */
export const UNNEEDED_PACKAGE_PATHS: readonly RegExp[] = [
  /^\/usr\/share\/(doc|man|info|lintian|bug)\//,
  /^\/(usr\/)?lib\/systemd\//,
  /^\/etc\/(init\.d|logrotate\.d)\//,
];

function dpkgQuery(args: string[]): string {
  try {
    return execFileSync("dpkg-query", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const text = String((err as { stderr?: string }).stderr ?? (err as Error).message).trim();
    throw new FaultlineError("IMAGE_BUILD_FAILED", `dpkg-query ${args.join(" ")} failed: ${text}`, {
      details: { args },
      hint: "building this image needs a Debian system with the packages installed (apt-get install …)",
      cause: err,
    });
  }
}

/** Whether Debian package `name` is installed on this machine. */
export function debianPackageInstalled(name: string): boolean {
  try {
    const out = execFileSync("dpkg-query", ["-W", "-f", "${db:Status-Status}", name], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    return out.trim() === "installed";
  } catch {
    return false;
  }
}

/**
 * Parses a Debian `Depends` field into groups of alternatives (`a (>= 1) | b, c:any` → `[["a","b"],["c"]]`),
 * versions and architecture qualifiers dropped.
 */
export function parseDepends(field: string): string[][] {
  return field
    .split(",")
    .map((group) =>
      group
        .split("|")
        .map((alt) => alt.trim().split(/[\s(]/)[0]!.replace(/:\w+$/, ""))
        .filter((name) => name.length > 0),
    )
    .filter((group) => group.length > 0);
}

/**
 * The installed packages `roots` need, following `Depends` and `Pre-Depends` through the packages `follow`
 * accepts (for each group of alternatives, the first one installed; a group with none installed is skipped, as
 * an optional backend would be). The roots are always in the result.
 *
 * @example
 * debianDependencyClosure(["some-tool"], (p) => p.startsWith("python3")); // ["python3", "python3.11", …]
 */
export function debianDependencyClosure(
  roots: readonly string[],
  follow: (name: string) => boolean,
): string[] {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const field = dpkgQuery(["-W", "-f", "${Depends}, ${Pre-Depends}", name]);
    for (const group of parseDepends(field)) {
      const pick = group.find((alt) => follow(alt) && debianPackageInstalled(alt));
      if (pick !== undefined) visit(pick);
    }
  };
  for (const r of roots) {
    if (!debianPackageInstalled(r)) {
      throw new FaultlineError("IMAGE_BUILD_FAILED", `the Debian package ${r} is not installed`, {
        details: { package: r },
        hint: `apt-get install ${r}`,
      });
    }
    visit(r);
  }
  return [...seen].sort();
}

/** The paths Debian package `name` installed (`dpkg -L`), directories included. */
export function debianPackageFiles(name: string): string[] {
  return dpkgQuery(["-L", name])
    .split("\n")
    .filter((p) => p.startsWith("/") && p !== "/.");
}

function isElf(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.toString("latin1") === "\x7fELF";
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/**
 * Copies what the Debian packages `packages` installed into the root file system `root`, each file at its own
 * path with its mode, symbolic links as links, leaving out the paths `skip` matches (by default documentation and
 * service files), then stages the shared libraries every ELF file among them loads (as `ldd` resolves them).
 * Returns how many files it copied.
 *
 * @example
 * stageDebianPackages(root, ["some-server", "some-server-client"]);
 */
export function stageDebianPackages(
  root: string,
  packages: readonly string[],
  skip: readonly RegExp[] = UNNEEDED_PACKAGE_PATHS,
): number {
  const elves: string[] = [];
  let copied = 0;
  for (const pkg of packages) {
    for (const path of debianPackageFiles(pkg)) {
      if (skip.some((re) => re.test(path)) || !existsSync(path)) continue;
      const dest = join(root, path);
      const st = lstatSync(path);
      if (st.isDirectory()) {
        mkdirSync(dest, { recursive: true });
        continue;
      }
      if (lstatSafe(dest)) continue;
      mkdirSync(dirname(dest), { recursive: true });
      if (st.isSymbolicLink()) {
        symlinkSync(readlinkSync(path), dest);
      } else if (st.isFile()) {
        copyFileSync(path, dest);
        chmodSync(dest, st.mode & 0o7777);
        copied++;
        if (isElf(path)) elves.push(path);
      }
    }
  }
  const libs = new Set<string>();
  for (const elf of elves) for (const lib of sharedLibraries(elf)) libs.add(lib);
  for (const lib of libs) if (!existsSync(join(root, lib))) stageFile(root, lib);
  return copied + libs.size;
}

function lstatSafe(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
