export type { Op, OpType, Process, History } from "./op.js";
export { isClientProcess } from "./op.js";
