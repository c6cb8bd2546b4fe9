import { createServer, type Server, type Socket } from "node:net";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import {
  classifyPgError,
  describePgError,
  isSyncRepCancel,
  pgConnectSettings,
  sqlState,
  type PgStage,
} from "../../stores/postgres-patroni/client/index.js";

/** A server message as node-postgres's protocol parser builds it from an ErrorResponse's fields. */
function serverError(severity: string, code: string, message: string): pg.DatabaseError {
  const e = new pg.DatabaseError(message, message.length, "error");
  e.severity = severity;
  e.code = code;
  return e;
}

/** The error node-postgres rejects `connect()` with when the server behind `port` does what `serve` says. */
async function connectError(serve?: (socket: Socket) => void): Promise<Error> {
  let server: Server | undefined;
  let port: number;
  if (serve) {
    server = createServer((socket) => {
      sockets.push(socket);
      serve(socket);
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    port = (server.address() as { port: number }).port;
  } else {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
  }
  servers.push(server);
  const client = new pg.Client({
    host: "127.0.0.1",
    port,
    user: "u",
    database: "d",
    connectionTimeoutMillis: 200,
  });
  client.on("error", () => undefined);
  return client.connect().then(
    () => {
      throw new Error("connected");
    },
    (err: Error) => err,
  );
}
const servers: (Server | undefined)[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await new Promise<void>((r) => (s ? s.close(() => r()) : r()));
});

const STAGES: PgStage[] = ["nothing-sent", "uncommitted", "commit-sent"];

const SERIALIZATION = "could not serialize access due to read/write dependencies among transactions";
const CANCELLED_WAIT = {
  severity: "WARNING",
  code: "01000",
  message: "canceling wait for synchronous replication due to user request",
  detail: "The transaction has already committed locally, but might not have been replicated to the standby.",
};
const TERMINATED_WAIT = {
  severity: "WARNING",
  code: "57P01",
  message:
    "canceling the wait for synchronous replication and terminating connection due to administrator command",
  detail: "The transaction has already committed locally, but might not have been replicated to the standby.",
};

describe("classifyPgError", () => {
  it.each([
    ["25006", "cannot execute INSERT in a read-only transaction"],
    ["40001", SERIALIZATION],
    ["40P01", "deadlock detected"],
    ["57014", "canceling statement due to statement timeout"],
    ["42P01", 'relation "faultline_set" does not exist'],
  ])(
    "should fail a server ERROR %s at every stage, even after COMMIT was sent (the server rolled it back)",
    (code, msg) => {
      for (const stage of STAGES) {
        expect(classifyPgError(serverError("ERROR", code, msg), stage)).toEqual({
          type: "fail",
          error: `${code} ${msg}`,
        });
      }
    },
  );

  it("should fail an admin shutdown or a server that cannot take connections before COMMIT was sent, and call it unknown after", () => {
    const shutdown = serverError("FATAL", "57P01", "terminating connection due to administrator command");
    expect(classifyPgError(shutdown, "uncommitted")).toEqual({
      type: "fail",
      error: "before commit: 57P01 terminating connection due to administrator command",
    });
    expect(classifyPgError(shutdown, "commit-sent")).toEqual({
      type: "info",
      error: "after the commit was sent: 57P01 terminating connection due to administrator command",
    });
    const starting = serverError("FATAL", "57P03", "the database system is starting up");
    expect(classifyPgError(starting, "nothing-sent")).toEqual({
      type: "fail",
      error: "nothing sent: 57P03 the database system is starting up",
    });
  });

  it("should fail a refused connection (nothing sent)", async () => {
    const refused = await connectError();
    expect(classifyPgError(refused, "nothing-sent")).toEqual({
      type: "fail",
      error: expect.stringMatching(/^nothing sent: connect ECONNREFUSED 127\.0\.0\.1:\d+$/),
    });
  });

  it("should fail a lost connection before COMMIT was sent and call it unknown after", async () => {
    const lost = await connectError((socket) => socket.destroy());
    expect(lost.message).toBe("Connection terminated unexpectedly");
    expect(classifyPgError(lost, "uncommitted")).toEqual({
      type: "fail",
      error: "before commit: Connection terminated unexpectedly",
    });
    expect(classifyPgError(lost, "commit-sent")).toEqual({
      type: "info",
      error: "after the commit was sent: Connection terminated unexpectedly",
    });
  });

  it("should call a client-side timeout unknown once COMMIT was sent, and fail it before", async () => {
    const silent = await connectError(() => undefined);
    expect(classifyPgError(silent, "nothing-sent")).toEqual({
      type: "fail",
      error: `nothing sent: ${silent.message}`,
    });
    const readTimeout = new Error("Query read timeout");
    expect(classifyPgError(readTimeout, "commit-sent")).toEqual({
      type: "info",
      error: "after the commit was sent: Query read timeout",
    });
    expect(classifyPgError(readTimeout, "uncommitted")).toEqual({
      type: "fail",
      error: "before commit: Query read timeout",
    });
  });

  it("should call a commit whose synchronous-replication wait was cut short unknown, with the server's warning", async () => {
    const lost = await connectError((socket) => socket.destroy());
    expect(classifyPgError(lost, "commit-sent", TERMINATED_WAIT)).toEqual({
      type: "info",
      error:
        `${TERMINATED_WAIT.message} (${TERMINATED_WAIT.detail}); committed on the primary, may not be replicated; ` +
        "then: Connection terminated unexpectedly",
    });
    expect(classifyPgError(new Error("Query read timeout"), "commit-sent", CANCELLED_WAIT).type).toBe("info");
  });
});

describe("isSyncRepCancel", () => {
  it("should recognise both warnings of a cut-short synchronous-replication wait and nothing else", () => {
    expect(isSyncRepCancel(CANCELLED_WAIT)).toBe(true);
    expect(isSyncRepCancel(TERMINATED_WAIT)).toBe(true);
    expect(
      isSyncRepCancel({
        severity: "NOTICE",
        code: "42P07",
        message: 'relation "t" already exists, skipping',
      }),
    ).toBe(false);
    expect(
      isSyncRepCancel({
        severity: "WARNING",
        code: "25001",
        message: "there is already a transaction in progress",
      }),
    ).toBe(false);
  });
});

describe("sqlState", () => {
  it("should read the SQLSTATE of server messages only, not the code of a socket error", () => {
    expect(sqlState(serverError("ERROR", "40001", SERIALIZATION))).toBe("40001");
    expect(sqlState(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }))).toBeUndefined();
    expect(sqlState("40001")).toBeUndefined();
  });
});

describe("describePgError", () => {
  it("should fall back to the code when an error has no message (Node's AggregateError of a refused dual-stack connect)", () => {
    const e = Object.assign(new AggregateError([], ""), { code: "ECONNREFUSED" });
    expect(describePgError(e)).toBe("ECONNREFUSED");
    expect(describePgError(serverError("ERROR", "23505", "duplicate key value\nDETAIL: x"))).toBe(
      "23505 duplicate key value",
    );
  });
});

describe("pgConnectSettings", () => {
  it("should name the session after the client and tie the server's timeouts to the op's time", () => {
    expect(
      pgConnectSettings({ clientName: "c2", user: "postgres", database: "postgres", opTimeoutMs: 1000 }),
    ).toEqual({
      user: "postgres",
      database: "postgres",
      applicationName: "c2",
      statementTimeoutMs: 800,
      idleInTransactionTimeoutMs: 1000,
    });
  });
});
