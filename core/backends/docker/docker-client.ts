import Docker from "dockerode";
import { FaultlineError } from "../../errors/index.js";

/**
 * Connects to the Docker engine the way the `docker` CLI does (`DOCKER_HOST`, else `/var/run/docker.sock`) and
 * checks that it answers. An engine that cannot be reached is a `DOCKER_UNAVAILABLE` error saying how to start
 * one.
 *
 * @example
 * const docker = await connectDocker();
 */
export async function connectDocker(options: { timeoutMs?: number } = {}): Promise<Docker> {
  const docker = new Docker();
  try {
    await withTimeout(docker.ping(), options.timeoutMs ?? 5000);
  } catch (err) {
    throw new FaultlineError(
      "DOCKER_UNAVAILABLE",
      `cannot reach the Docker engine (${process.env.DOCKER_HOST ?? "/var/run/docker.sock"}): ${(err as Error).message}`,
      {
        details: { dockerHost: process.env.DOCKER_HOST ?? null },
        hint:
          "start it (`sudo service docker start`, or `sudo dockerd &`), make sure you may use it (the docker group), " +
          "or run with --backend local",
        cause: err,
      },
    );
  }
  return docker;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      timer.unref();
    }),
  ]);
}
