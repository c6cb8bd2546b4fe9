import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { DOCKER, SKIP_NOTE } from "./support/docker-helpers.js";
import { ensureBuilt, ROOT } from "./support/spine-helpers.js";

const IMAGE = "faultline-local/postgres-patroni:15";
const LABEL = "faultline.e2e";

/** Runs `script` with `/bin/sh` in a container of the image as `user`; resolves with its exit code and output. */
async function runInImage(
  docker: Docker,
  user: string,
  script: string,
): Promise<{ code: number; out: string }> {
  const container = await docker.createContainer({
    Image: IMAGE,
    User: user,
    Cmd: ["/bin/sh", "-c", script],
    Labels: { [LABEL]: "docker-pg-image" },
    HostConfig: { NetworkMode: "none" },
  });
  try {
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    let out = "";
    const sink = new PassThrough();
    sink.on("data", (d: Buffer) => (out += d.toString()));
    container.modem.demuxStream(stream, sink, sink);
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    await new Promise((r) => setTimeout(r, 50));
    return { code: StatusCode, out };
  } finally {
    await container.remove({ force: true });
  }
}

describe.skipIf(!DOCKER.ok)(
  `faultline images build-local: the PostgreSQL + Patroni + etcd image${SKIP_NOTE}`,
  () => {
    it("should build faultline-local/postgres-patroni:15 from this machine's packages, with PostgreSQL, Patroni and etcd working as the postgres user", async () => {
      ensureBuilt();
      const docker = new Docker();
      const before = await docker
        .getImage(IMAGE)
        .inspect()
        .then((i) => i.Id)
        .catch(() => undefined);

      const built = spawnSync(
        process.execPath,
        [join(ROOT, "bin", "faultline.js"), "images", "build-local"],
        {
          cwd: ROOT,
          encoding: "utf8",
        },
      );
      expect(built.status, built.stderr).toBe(0);
      expect(built.stdout).toContain(IMAGE);
      expect(built.stderr).toMatch(
        /importing faultline-local\/postgres-patroni:15 \(\d+ files of \d+ Debian packages/,
      );

      const image = await docker.getImage(IMAGE).inspect();
      expect(image.Config.Labels?.["faultline.image"]).toBe("postgres-patroni");
      // A rebuild replaces the image it renames: the previous one is gone, not left untagged.
      if (before !== undefined && before !== image.Id) {
        await expect(docker.getImage(before).inspect()).rejects.toMatchObject({ statusCode: 404 });
      }

      const r = await runInImage(
        docker,
        "postgres",
        [
          "set -e",
          // The image has no coreutils: the account's name as the C library resolves it from /etc/passwd.
          'python3 -c "import os, pwd; print(pwd.getpwuid(os.getuid()).pw_name)"',
          "postgres --version",
          "patroni --version",
          "etcd --version",
          // Patroni's etcd3 client and the PostgreSQL driver it uses load.
          "python3 -c \"import patroni.dcs.etcd3, psycopg2; print('patroni modules ok')\"",
          "initdb -D /data/pg --encoding UTF8 --data-checksums",
          "pg_ctl -D /data/pg -o '-k /tmp -c listen_addresses=' -w -l /tmp/pg.log start >/dev/null",
          "psql -h /tmp -d postgres -Atc 'select current_user, 40 + 2'",
          "pg_ctl -D /data/pg -w stop >/dev/null",
          "echo done",
        ].join("\n"),
      );
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/^postgres$/m);
      expect(r.out).toMatch(/^postgres \(PostgreSQL\) 15\.\d+/m);
      expect(r.out).toMatch(/^patroni 3\.\d+\.\d+$/m);
      expect(r.out).toMatch(/^etcd Version: 3\.\d+\.\d+$/m);
      expect(r.out).toContain("patroni modules ok");
      expect(r.out).toContain("Success. You can now start the database server");
      expect(r.out).toMatch(/^postgres\|42$/m);
      expect(r.out).toMatch(/done\s*$/);

      // PostgreSQL refuses root: the postgres account is what makes the image usable.
      const root = await runInImage(docker, "root", "initdb -D /data/pg");
      expect(root.code).not.toBe(0);
      expect(root.out).toContain("cannot be run as root");

      const left = await docker.listContainers({ all: true, filters: { label: [LABEL] } });
      expect(left.map((c) => c.Names[0])).toEqual([]);
    }, 300_000);
  },
);
