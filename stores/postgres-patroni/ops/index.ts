import { COUNTER_SCHEMA, performCounter } from "./counter-ops.js";
import { performFollowerReads, VERSIONS_SCHEMA } from "./follower-reads-ops.js";
import { LIST_SCHEMA, performListAppend } from "./list-append-ops.js";
import { performRegister, REGISTER_SCHEMA } from "./register-ops.js";
import type { PgOp } from "./session.js";
import { performSet, SET_SCHEMA } from "./set-ops.js";

export type { PgSession, PgTransaction, PgOp, PgIsolation } from "./session.js";
export { PG_ISOLATIONS } from "./session.js";
export { performSet, SET_SCHEMA } from "./set-ops.js";
export { performRegister, REGISTER_SCHEMA } from "./register-ops.js";
export { performCounter, COUNTER_SCHEMA } from "./counter-ops.js";
export { performListAppend, LIST_SCHEMA } from "./list-append-ops.js";
export { performFollowerReads, VERSIONS_SCHEMA } from "./follower-reads-ops.js";

/** How PostgreSQL performs each workload's ops, by workload name (`workloads/registry.ts`). */
export const PG_OPS: Readonly<Record<string, PgOp>> = {
  set: performSet,
  register: performRegister,
  "list-append": performListAppend,
  counter: performCounter,
  "follower-reads": performFollowerReads,
};

/**
 * The tables each workload needs, as idempotent `CREATE TABLE IF NOT EXISTS` statements the client runs on every
 * new leader connection before the op's own statements.
 */
export const PG_SCHEMA: Readonly<Record<string, readonly string[]>> = {
  set: SET_SCHEMA,
  register: REGISTER_SCHEMA,
  "list-append": LIST_SCHEMA,
  counter: COUNTER_SCHEMA,
  "follower-reads": VERSIONS_SCHEMA,
};
