import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { FaultlineError } from "../../../core/errors/index.js";
import {
  debianDependencyClosure,
  stageBinary,
  stageDebianPackages,
  UNNEEDED_PACKAGE_PATHS,
  type SourcedImage,
  type StoreImageStager,
} from "../../../core/images/index.js";
import { findPasswdUser, type SystemUser } from "../system-user.js";

/**
 * The PostgreSQL + Patroni + etcd image. No official image holds all three (the official `postgres` image has
 * neither Patroni nor etcd), so both sources name the one `faultline images build-local` makes.
 */
export const PG_IMAGES: SourcedImage = {
  official: "faultline-local/postgres-patroni:15",
  local: "faultline-local/postgres-patroni:15",
};

/** The Debian packages the image is staged from: PostgreSQL 15's server and client programs, etcd, time zones. */
export const PG_IMAGE_PACKAGES = ["postgresql-15", "postgresql-client-15", "etcd-server", "tzdata"] as const;

/** PostgreSQL 15's programs inside the image (Debian's layout), first on the image's PATH. */
export const IMAGE_PG_BIN_DIR = "/usr/lib/postgresql/15/bin";

/**
 * What the image leaves out besides documentation: translations (the nodes run with `lc_messages` C) and
 * PostgreSQL's LLVM JIT provider, which would pull in libLLVM (about 100 MB); without it PostgreSQL simply does not
 * JIT-compile.
 */
const SKIP: readonly RegExp[] = [
  ...UNNEEDED_PACKAGE_PATHS,
  /^\/usr\/share\/locale\//,
  /^\/usr\/lib\/postgresql\/15\/lib\/(llvmjit|bitcode)/,
];

const C_UTF8 = "/usr/lib/locale/C.utf8";

/**
 * How `faultline images build-local` assembles `faultline-local/postgres-patroni:15` from this machine's Debian
 * packages (`apt-get install postgresql-15 patroni etcd-server`): PostgreSQL 15 (server and client programs,
 * `/usr/share/postgresql/15`), Patroni with Python 3 and the Python packages it depends on (its etcd3 client
 * included, found by following the `patroni` package's dependencies among `python3*` packages), etcd, the time
 * zone data, `/bin/sh`, the C.UTF-8 locale, and every shared library those load. `/etc/passwd` and `/etc/group` gain this machine's
 * `postgres` account (same uid and gid, so files a container writes on a mounted run directory belong to the same
 * user on both sides): PostgreSQL refuses to run as root.
 */
export const pgImageStager: StoreImageStager = {
  kind: "postgres-patroni",
  stage(root) {
    const python = debianDependencyClosure(["patroni"], (p) => /^(lib)?python3/.test(p));
    const packages = [...PG_IMAGE_PACKAGES, ...python];
    const files = stageDebianPackages(root, packages, SKIP);
    stageBinary(root, "/bin/sh");
    // The C.UTF-8 locale (Debian's libc-bin ships it compiled): the image's LANG, so initdb and Python run in UTF-8.
    const hasCUtf8 = existsSync(C_UTF8);
    if (hasCUtf8) cpSync(C_UTF8, join(root, C_UTF8), { recursive: true });
    const user = addPostgresUser(root);
    // PostgreSQL's compiled-in socket directory, and the account's home, writable whoever owns the image's files.
    for (const dir of ["var/run/postgresql", "var/lib/postgresql"]) {
      mkdirSync(join(root, dir), { recursive: true });
      chmodSync(join(root, dir), 0o1777);
    }
    return {
      ref: PG_IMAGES.local,
      holds: `${files} files of ${packages.length} Debian packages (PostgreSQL 15, Patroni, etcd), user postgres ${user.uid}:${user.gid}`,
      changes: [
        `ENV PATH=${IMAGE_PG_BIN_DIR}:/usr/local/bin:/usr/bin:/bin`,
        ...(hasCUtf8 ? ["ENV LANG=C.UTF-8"] : []),
        "WORKDIR /data",
        'CMD ["patroni", "--version"]',
        "LABEL faultline.image=postgres-patroni",
      ],
    };
  },
};

/** Appends this machine's `postgres` account (and its group) to the image's `/etc/passwd` and `/etc/group`. */
function addPostgresUser(root: string, passwdFile = "/etc/passwd"): SystemUser {
  const user = findPasswdUser(readFileSync(passwdFile, "utf8"), "postgres");
  if (!user) {
    throw new FaultlineError("IMAGE_BUILD_FAILED", "this machine has no postgres user to put in the image", {
      hint: "install postgresql-15 (it creates the postgres user): apt-get install postgresql-15",
    });
  }
  appendFileSync(
    join(root, "etc", "passwd"),
    `postgres:x:${user.uid}:${user.gid}:PostgreSQL administrator:/var/lib/postgresql:/bin/sh\n`,
  );
  appendFileSync(join(root, "etc", "group"), `postgres:x:${user.gid}:\n`);
  return user;
}
