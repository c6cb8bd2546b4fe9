export type { NemesisOp, NemesisCompletion, Nemesis, FaultContext, ActiveFault, Fault } from "./nemesis.js";
export { FaultNotApplied, faultOpName, parseFaultOp } from "./nemesis.js";
export { faultNemesis, noopNemesis } from "./fault-nemesis.js";
export { validatingNemesis, NemesisContractError } from "./validating-nemesis.js";
export { activeFaults } from "./active-faults.js";
export type { ActiveFaults } from "./active-faults.js";
