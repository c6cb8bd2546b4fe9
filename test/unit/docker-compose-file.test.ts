import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const compose = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8")) as {
  networks: Record<string, { ipam: { config: { subnet: string }[] } }>;
  services: Record<
    string,
    {
      image: string;
      command: string | string[];
      ports?: string[];
      networks: Record<string, { ipv4_address: string }>;
    }
  >;
};
const proxies = JSON.parse(readFileSync(join(ROOT, "docker", "compose", "proxies.json"), "utf8")) as {
  name: string;
  listen: string;
  upstream: string;
}[];

/** The value after `flag` in a node's command line. */
const arg = (cmd: string | string[], flag: string): string | undefined => {
  const words = Array.isArray(cmd) ? cmd : cmd.split(/\s+/);
  const i = words.indexOf(flag);
  return i >= 0 ? words[i + 1] : undefined;
};

describe("docker-compose.yml", () => {
  const services = compose.services;
  const proxyIp = services.proxy!.networks.faultline!.ipv4_address;

  it("should define the proxy, three data nodes and three Sentinels on one fixed subnet", () => {
    expect(Object.keys(services).sort()).toEqual(["n1", "n2", "n3", "proxy", "s1", "s2", "s3"]);
    expect(compose.networks.faultline!.ipam.config[0]!.subnet).toBe("10.213.255.0/24");
    for (const s of Object.values(services)) {
      expect(s.image).toMatch(/^\$\{FAULTLINE_(REDIS|PROXY)_IMAGE:-/);
      expect(s.networks.faultline!.ipv4_address).toMatch(/^10\.213\.255\.\d+$/);
    }
  });

  it("should publish ports on 127.0.0.1 only", () => {
    const published = Object.values(services).flatMap((s) => s.ports ?? []);
    expect(published.length).toBe(7);
    for (const p of published) expect(p).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it("should give every node a proxy listener on every address, whose upstream is that node's container", () => {
    const byName = new Map(proxies.map((p) => [p.name, p]));
    for (const name of ["n1", "n2", "n3", "s1", "s2", "s3"]) {
      const ip = services[name]!.networks.faultline!.ipv4_address;
      expect(byName.get(name)!.listen).toMatch(/^0\.0\.0\.0:700\d$/);
      expect(byName.get(name)!.upstream.split(":")[0]).toBe(ip);
      expect(byName.get(`c1-${name}`)!.upstream).toBe(byName.get(name)!.upstream);
    }
  });

  it("should make every node announce the proxy's address and its own public port, and point at n1's", () => {
    const port = (name: string): string => proxies.find((p) => p.name === name)!.listen.split(":")[1]!;
    for (const n of ["n1", "n2", "n3"]) {
      const cmd = services[n]!.command;
      expect(arg(cmd, "--replica-announce-ip")).toBe(proxyIp);
      expect(arg(cmd, "--replica-announce-port")).toBe(port(n));
      if (n !== "n1") expect(arg(cmd, "--replicaof")).toBe(proxyIp);
    }
    for (const s of ["s1", "s2", "s3"]) {
      const script = [services[s]!.command].flat().join(" ");
      expect(script).toContain(`sentinel announce-ip ${proxyIp}`);
      expect(script).toContain(`sentinel announce-port ${port(s)}`);
      expect(script).toContain(`sentinel monitor faultline ${proxyIp} ${port("n1")} 2`);
    }
  });
});
