import { afterEach, describe, expect, it } from "vitest";
import { Toxiproxy } from "toxiproxy-node-client";
import { plainVersionBody, startProxyServer, type StartedProxyServer } from "../../nemesis/proxy/index.js";
import { detectFaultlineServer, FaultlineProxyClient } from "../../nemesis/proxy-client/index.js";

let server: StartedProxyServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe("startProxyServer with plainToxiproxy", () => {
  it("should answer /version as Toxiproxy does and be detected as a plain Toxiproxy", async () => {
    server = await startProxyServer({ port: 0, plainToxiproxy: true });
    const res = await fetch(`${server.url}/version`);
    expect(await res.text()).toBe('{"version": "2.12.0"}\n');
    expect(plainVersionBody()).toBe('{"version": "2.12.0"}\n');
    expect(await detectFaultlineServer(server.url)).toEqual({ server: "toxiproxy", version: "2.12.0" });
  });

  it("should answer every /faultline/ route with Toxiproxy's 404 and keep the standard API", async () => {
    server = await startProxyServer({ port: 0, plainToxiproxy: true });
    const res = await fetch(`${server.url}/faultline/toxics`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("404 page not found\n");
    await expect(new FaultlineProxyClient(server.url).listLinkToxics()).rejects.toThrow(/404/);
    const toxiproxy = new Toxiproxy(server.url);
    const proxy = await toxiproxy.createProxy({ name: "p", listen: "127.0.0.1:0", upstream: "127.0.0.1:1" });
    await proxy.addToxic({
      name: "t",
      type: "timeout",
      stream: "upstream",
      toxicity: 1,
      attributes: { timeout: 0 },
    });
    expect(Object.keys(await toxiproxy.getAll())).toEqual(["p"]);
  });

  it("should keep faultline's extensions when off", async () => {
    server = await startProxyServer({ port: 0 });
    expect((await detectFaultlineServer(server.url)).server).toBe("faultline");
    expect(await new FaultlineProxyClient(server.url).listLinkToxics()).toEqual([]);
  });
});
