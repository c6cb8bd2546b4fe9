export type { Client, Completion } from "./client.js";
export { withTimeout, noopClient, validatingClient, ClientContractError } from "./client.js";
export type { Invocation } from "./invocation.js";
