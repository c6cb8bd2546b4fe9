// A stand-in harness for the harness-death test: starts a small cluster in <runDir>, prints one JSON line when it
// is ready, then waits to be killed. Run as `node --import tsx pg-cluster-harness.ts <runDir> <runId> <scope>`.
import { runTagForThisProcess } from "../../../core/backends/local/index.js";
import { startLocalPgCluster } from "../../../stores/postgres-patroni/index.js";

const [runDir, runId, scope] = process.argv.slice(2) as [string, string, string];
const cluster = await startLocalPgCluster({
  runDir,
  tag: runTagForThisProcess(runId, runDir),
  scope,
  nodes: 1,
  etcdMembers: 1,
});
const postgres = cluster.postgresPid("pg1");
process.stdout.write(
  JSON.stringify({ ready: true, postgres, patroni: cluster.pid("pg1"), etcd: cluster.pid("etcd1") }) + "\n",
);
setInterval(() => {}, 60_000);
