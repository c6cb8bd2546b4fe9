import { chmodSync, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { FaultlineError } from "../../core/errors/index.js";

/** A local account the store's processes run as. */
export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

/** The entry for `name` in an `/etc/passwd` text, or `undefined`. */
export function findPasswdUser(passwd: string, name: string): SystemUser | undefined {
  for (const line of passwd.split("\n")) {
    const f = line.split(":");
    if (f.length >= 4 && f[0] === name && /^\d+$/.test(f[2]!) && /^\d+$/.test(f[3]!)) {
      return { name, uid: Number(f[2]), gid: Number(f[3]) };
    }
  }
  return undefined;
}

/**
 * Who runs PostgreSQL: the current user, or — when the harness runs as root, which PostgreSQL refuses
 * ("root" execution of the PostgreSQL server is not permitted) — the unprivileged `fallback` account
 * (Debian's `postgres`, created by the postgresql-common package).
 */
export function storeUser(fallback = "postgres", passwdFile = "/etc/passwd"): SystemUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const user = findPasswdUser(readFileSync(passwdFile, "utf8"), fallback);
  if (!user) {
    throw new FaultlineError(
      "STORE_USER_MISSING",
      `PostgreSQL cannot run as root and there is no "${fallback}" user to run it as`,
      {
        details: { user: fallback },
        hint: "install postgresql-15 (it creates the postgres user) or run as a normal user",
      },
    );
  }
  return user;
}

/**
 * Throws unless `user` can reach `dir`: it and every ancestor must be searchable (x) by it. A run directory made with
 * `mkdtemp` (mode 0700, owned by root) is not, and PostgreSQL would fail later with a less clear message.
 */
export function assertReachable(dir: string, user: SystemUser): void {
  for (let d = dir; ; d = dirname(d)) {
    const st = statSync(d);
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) {
      throw new FaultlineError(
        "STORE_DIR_UNREACHABLE",
        `the ${user.name} user cannot reach ${dir}: ${d} is mode ${(st.mode & 0o777).toString(8)}`,
        {
          details: { dir, blocking: d, user: user.name },
          hint: `chmod o+x ${d} (or use a run directory under /tmp)`,
        },
      );
    }
    if (d === dirname(d)) return;
  }
}

/**
 * Lets `user` search the run's own directory `dir` (adds the search bit for others when the harness owns it and
 * the user cannot pass it yet: a `mkdtemp` directory is 0700), then {@link assertReachable}. Only the run
 * directory is changed, never an ancestor.
 */
export function openRunDirFor(dir: string, user: SystemUser): void {
  const st = statSync(dir);
  const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
  if ((st.mode & bit) === 0 && st.uid === process.getuid?.()) chmodSync(dir, (st.mode & 0o7777) | 0o001);
  assertReachable(dir, user);
}

/**
 * {@link openRunDirFor}, answering whether it succeeded instead of throwing: on `true` the run directory may have
 * been given the search bit for others (that is the point); on `false` nothing was changed that matters (an
 * ancestor blocks the user).
 */
export function tryOpenRunDirFor(dir: string, user: SystemUser): boolean {
  try {
    openRunDirFor(dir, user);
    return true;
  } catch {
    return false;
  }
}
