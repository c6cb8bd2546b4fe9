import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { FaultlineError } from "../errors/index.js";

/**
 * The shared libraries a dynamically linked binary loads, as `ldd` resolves them on this machine (the loader
 * included); empty for a static binary.
 *
 * @example
 * sharedLibraries("/usr/bin/db-server"); // ["/lib/x86_64-linux-gnu/libc.so.6", …, "/lib64/ld-linux-x86-64.so.2"]
 */
export function sharedLibraries(binary: string): string[] {
  let out: string;
  try {
    out = execFileSync("ldd", [binary], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const text =
      String((err as { stdout?: string }).stdout ?? "") + String((err as { stderr?: string }).stderr ?? "");
    if (/not a dynamic executable|statically linked/.test(text)) return [];
    throw new FaultlineError(
      "IMAGE_BUILD_FAILED",
      `cannot list the libraries of ${binary} with ldd: ${text.trim()}`,
      {
        details: { binary },
        hint: "building local images needs ldd (Debian: libc-bin) and a dynamically linked Linux binary",
        cause: err,
      },
    );
  }
  return parseLdd(out);
}

/** Parses `ldd` output: `name => /path (0x…)` and `/path (0x…)` lines; the vDSO and unresolved names are left out. */
export function parseLdd(text: string): string[] {
  const libs: string[] = [];
  for (const line of text.split("\n")) {
    if (/=> not found/.test(line)) {
      throw new FaultlineError("IMAGE_BUILD_FAILED", `a library is missing: ${line.trim()}`, {
        hint: "install the package that provides it, then build again",
      });
    }
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) libs.push(m[1]!);
  }
  return libs;
}

/** Copies `source` into the root file system `root` at `target` (default: the same path), following links. */
export function stageFile(root: string, source: string, target = source): void {
  const dest = join(root, target);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(realpathSync(source), dest);
  chmodSync(dest, 0o755);
}

/** Copies a binary and every library it loads into `root`, each at its own path. */
export function stageBinary(root: string, binary: string): void {
  stageFile(root, binary);
  for (const lib of sharedLibraries(binary)) stageFile(root, lib);
}

/**
 * The minimal skeleton every image needs: `/etc/passwd` and `/etc/group` (root and nobody), a world-writable
 * `/tmp`, and the mount points the backend uses (`/node` for a node's directory, `/data` as a working directory).
 */
export function stageSkeleton(root: string): void {
  mkdirSync(join(root, "etc"), { recursive: true });
  writeFileSync(
    join(root, "etc", "passwd"),
    "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
  );
  writeFileSync(join(root, "etc", "group"), "root:x:0:\nnogroup:x:65534:\n");
  for (const d of ["tmp", "node", "data", "root"]) mkdirSync(join(root, d), { recursive: true });
  chmodSync(join(root, "tmp"), 0o1777);
  chmodSync(join(root, "node"), 0o777);
  chmodSync(join(root, "data"), 0o777);
}
