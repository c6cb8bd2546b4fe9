export { healCluster } from "./heal-cluster.js";
export type { HealReport } from "./heal-cluster.js";
export { faultResidue, assertHealed, notHealedError } from "./fault-residue.js";
