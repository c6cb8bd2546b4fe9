export { pgClient, pgConnectSettings, ensureSchema, STATEMENT_TIMEOUT_SHARE } from "./pg-client.js";
export type { PgClientOptions } from "./pg-client.js";
export { PgConnection, PgNoNodeError, discover } from "./pg-connection.js";
export type { PgNode, PgConnectSettings, PgTarget } from "./pg-connection.js";
export {
  classifyPgError,
  isSyncRepCancel,
  syncRepCancelText,
  isServerError,
  sqlState,
  describePgError,
} from "./classify.js";
export type { PgStage, PgOutcome, PgServerMessage } from "./classify.js";
