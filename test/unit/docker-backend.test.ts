import { describe, expect, it } from "vitest";
import {
  bridgeOnThisHost,
  chooseSubnet,
  demux,
  engineOverNetwork,
  hostAddress,
  ownerOf,
  parseCidr,
  runLabels,
} from "../../core/backends/docker/index.js";
import { imageRefs, parseDepends, parseLdd, PROXY_IMAGES, splitRef } from "../../core/images/index.js";
import {
  nodeContainerSpec,
  PROXY_API_PORT,
  proxyContainerSpec,
  REDIS_IMAGES,
} from "../../stores/redis-sentinel/index.js";
import { dockerLayout, hostPortCount } from "../../stores/redis-sentinel/index.js";

const REQ = {
  runDir: "/runs/r1",
  tag: { runId: "set-none/T1", harnessPid: 42, harnessStart: "777", runDir: "/runs/r1" },
  dataNodes: ["n1", "n2", "n3"],
  failoverManagers: ["s1", "s2", "s3"],
  clients: ["c1", "c2"],
  proxied: true,
  keepProxyAfterHarness: false,
};

describe("chooseSubnet", () => {
  it("should pick a /24 of the pool that overlaps no taken subnet", () => {
    const taken = Array.from({ length: 255 }, (_, k) => `10.213.${k}.0/24`);
    expect(chooseSubnet(taken)).toBe("10.213.255.0/24");
  });

  it("should treat a wider taken range as covering every /24 inside it", () => {
    expect(() => chooseSubnet(["10.0.0.0/8"], "10.213.0.0/16")).toThrow(/no free \/24/);
  });

  it("should skip unparseable subnets (IPv6 pools) instead of failing", () => {
    expect(chooseSubnet(["fd00::/64"], "10.213.7.0/24")).toBe("10.213.7.0/24");
  });
});

describe("parseCidr / hostAddress", () => {
  it("should align a range to its prefix and number hosts from its first address", () => {
    const r = parseCidr("10.213.57.99/24");
    expect(r.last - r.first).toBe(255);
    expect(hostAddress("10.213.57.0/24", 11)).toBe("10.213.57.11");
    expect(() => parseCidr("10.213.300.0/24")).toThrow(/not an IPv4 CIDR/);
  });
});

describe("dockerLayout", () => {
  const ports = Array.from({ length: hostPortCount(REQ) }, (_, i) => 30_000 + i);
  const layout = dockerLayout(REQ, "10.213.9.0/24", ports);

  it("should need one host port per node, one for the API and one per client listener", () => {
    expect(hostPortCount(REQ)).toBe(6 + 1 + 2 * 6);
    expect(hostPortCount({ ...REQ, proxied: false })).toBe(6);
  });

  it("should give each node its own address, the proxy's public address, and a loopback admin port", () => {
    const n2 = layout.nodes.find((n) => n.name === "n2")!;
    expect(n2).toMatchObject({
      role: "data",
      admin: { host: "127.0.0.1", port: 30_001 },
      real: { host: "10.213.9.12", port: 6379 },
      public: { host: "10.213.9.2", port: 7002 },
      sourceAddress: "10.213.9.12",
      bind: "0.0.0.0",
      dir: "/runs/r1/nodes/n2",
      nodeDir: "/node",
    });
    const s1 = layout.nodes.find((n) => n.name === "s1")!;
    expect(s1).toMatchObject({ role: "failover-manager", real: { host: "10.213.9.31", port: 26379 } });
    expect(new Set(layout.nodes.map((n) => n.sourceAddress)).size).toBe(6);
  });

  it("should publish the API and every client listener, and map each back to its loopback port", () => {
    expect(layout.reachable(8474)).toEqual({ host: "127.0.0.1", port: 30_006 });
    expect(layout.clientPort("c1", "n1")).toBe(10_000);
    expect(layout.clientPort("c2", "s3")).toBe(10_037);
    expect(layout.reachable(10_037)).toEqual({ host: "127.0.0.1", port: 30_018 });
    expect(new Set(layout.proxyPorts.values()).size).toBe(13);
    expect(() => layout.reachable(7001)).toThrow(/not published/);
  });

  it("should reach every node, the API and the client listeners at their bridge addresses without host ports", () => {
    const onBridge = dockerLayout(REQ, "10.213.9.0/24");
    const n2 = onBridge.nodes.find((n) => n.name === "n2")!;
    expect(n2.admin).toEqual({ host: "10.213.9.12", port: 6379 });
    expect(onBridge.nodes.find((n) => n.name === "s3")!.admin).toEqual({ host: "10.213.9.33", port: 26379 });
    expect(onBridge.reachable(8474)).toEqual({ host: "10.213.9.2", port: 8474 });
    expect(onBridge.reachable(onBridge.clientPort("c2", "s3"))).toEqual({ host: "10.213.9.2", port: 10_037 });
    expect(onBridge.adminPorts.size + onBridge.proxyPorts.size).toBe(0);
  });

  it("should make nodes use each other's real addresses without the proxy", () => {
    const direct = dockerLayout({ ...REQ, proxied: false }, "10.213.9.0/24", ports.slice(0, 6));
    expect(direct.nodes[0]!.public).toEqual(direct.nodes[0]!.real);
    expect(direct.proxyPorts.size).toBe(0);
  });
});

describe("runLabels / ownerOf", () => {
  it("should carry the run's tag in labels and read it back for the reaper", () => {
    const labels = runLabels(REQ.tag);
    expect(labels).toEqual({
      "faultline.run": "set-none/T1",
      "faultline.harness-pid": "42",
      "faultline.harness-start": "777",
      "faultline.run-dir": "/runs/r1",
    });
    expect(ownerOf(labels, "fl-x-n1")).toEqual({ pid: 0, command: "fl-x-n1", ...REQ.tag });
  });
});

describe("demux", () => {
  it("should join the payloads of a multiplexed log stream", () => {
    const frame = (type: number, text: string): Buffer => {
      const h = Buffer.alloc(8);
      h[0] = type;
      h.writeUInt32BE(Buffer.byteLength(text), 4);
      return Buffer.concat([h, Buffer.from(text)]);
    };
    expect(demux(Buffer.concat([frame(1, "out\n"), frame(2, "err\n")])).toString()).toBe("out\nerr\n");
    expect(demux(Buffer.from("plain text, a TTY's output")).toString()).toBe("plain text, a TTY's output");
  });
});

describe("imageRefs / splitRef", () => {
  it("should resolve the source's images with per-image overrides", () => {
    expect(imageRefs("official", REDIS_IMAGES)).toEqual({ store: "redis:7", proxy: PROXY_IMAGES.official });
    expect(imageRefs("local", REDIS_IMAGES)).toEqual({
      store: "faultline-local/redis:7",
      proxy: "faultline-local/proxy:latest",
    });
    expect(imageRefs("official", REDIS_IMAGES, { store: "redis:7.2" })).toEqual({
      store: "redis:7.2",
      proxy: "ghcr.io/shopify/toxiproxy:2.12.0",
    });
  });

  it("should split a reference at its tag, not at a registry port", () => {
    expect(splitRef("ghcr.io/shopify/toxiproxy:2.12.0")).toEqual(["ghcr.io/shopify/toxiproxy", "2.12.0"]);
    expect(splitRef("localhost:5000/redis")).toEqual(["localhost:5000/redis", "latest"]);
  });
});

describe("parseLdd", () => {
  it("should list resolved libraries and the loader, not the vDSO", () => {
    const out = [
      "\tlinux-vdso.so.1 (0x00007ffd)",
      "\tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f)",
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007f)",
    ].join("\n");
    expect(parseLdd(out)).toEqual(["/lib/x86_64-linux-gnu/libm.so.6", "/lib64/ld-linux-x86-64.so.2"]);
    expect(() => parseLdd("\tlibfoo.so.1 => not found")).toThrow(/missing/);
  });
});

describe("parseDepends", () => {
  it("should read groups of alternatives without versions or architecture qualifiers", () => {
    expect(parseDepends("python3-a (>= 1.0), python3-b | python3-c (<< 2), python3:any, , ")).toEqual([
      ["python3-a"],
      ["python3-b", "python3-c"],
      ["python3"],
    ]);
    expect(parseDepends("")).toEqual([]);
  });
});

describe("nodeContainerSpec / proxyContainerSpec", () => {
  const ctx = { prefix: "fl-x", labels: { "faultline.run": "x" }, network: "fl-x-net" };
  const published = new Map([[PROXY_API_PORT, 40000]]);
  it("should publish a node's listener on loopback only when given a host port", () => {
    const node = dockerLayout(REQ, "10.213.9.0/24").nodes[0]!;
    const spec = nodeContainerSpec(ctx, node, "faultline-local/redis:7", "10.213.9.11", 30_000);
    expect(spec.HostConfig?.PortBindings).toEqual({
      "6379/tcp": [{ HostIp: "127.0.0.1", HostPort: "30000" }],
    });
    expect(
      nodeContainerSpec(ctx, node, "faultline-local/redis:7", "10.213.9.11", undefined).HostConfig
        ?.PortBindings,
    ).toBeUndefined();
  });
  it("should publish the proxy's API with its client listeners, or nothing", () => {
    const both = new Map([...published, [10_000, 40_001]]);
    expect(
      Object.keys(
        proxyContainerSpec(ctx, "faultline-local/proxy:latest", "10.0.0.2", both).HostConfig!.PortBindings,
      ),
    ).toEqual(["8474/tcp", "10000/tcp"]);
    expect(
      proxyContainerSpec(ctx, "faultline-local/proxy:latest", "10.0.0.2", new Map()).HostConfig!.PortBindings,
    ).toEqual({});
    expect(() =>
      proxyContainerSpec(ctx, "faultline-local/proxy:latest", "10.0.0.2", new Map([[10_000, 40_001]])),
    ).toThrow(/API port must be published/);
  });
  it("should hand the proxy the run's seed through its environment, and nothing without one", () => {
    expect(proxyContainerSpec(ctx, "faultline-local/proxy:latest", "10.0.0.2", published, 1234).Env).toEqual([
      "FAULTLINE_PROXY_SEED=1234",
    ]);
    expect(
      proxyContainerSpec(ctx, "faultline-local/proxy:latest", "10.0.0.2", published).Env,
    ).toBeUndefined();
  });
});

describe("engineOverNetwork / bridgeOnThisHost", () => {
  it("should treat an engine reached over TCP or SSH as remote, whatever bridges this machine has", () => {
    expect(engineOverNetwork("tcp://127.0.0.1:2375")).toBe(true);
    expect(engineOverNetwork("ssh://ci@builder")).toBe(true);
    expect(engineOverNetwork("unix:///var/run/docker.sock")).toBe(false);
    expect(engineOverNetwork(undefined)).toBe(false);
    // lo exists on every Linux machine: with a local engine it would count as this machine's.
    expect(bridgeOnThisHost("lo", undefined)).toBe(process.platform === "linux");
    expect(bridgeOnThisHost("lo", "tcp://127.0.0.1:2375")).toBe(false);
  });
});
