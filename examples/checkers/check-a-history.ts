import { checkLinearizable, checkListAppend, fromJepsenEdn } from "faultline/checkers";
import type { Op } from "faultline/checkers";

// A history built in memory: each op is an invoke and then its completion (ok, fail or info), in real-time order.
const history: Op[] = [
  { index: 0, time: 0, process: 0, type: "invoke", f: "write", value: 1 },
  { index: 1, time: 10, process: 1, type: "invoke", f: "read", value: null },
  { index: 2, time: 20, process: 0, type: "ok", f: "write", value: 1 },
  { index: 3, time: 30, process: 1, type: "ok", f: "read", value: 1 },
  { index: 4, time: 40, process: 2, type: "invoke", f: "read", value: null },
  { index: 5, time: 50, process: 2, type: "ok", f: "read", value: 0 }, // begun after the write of 1 had finished
];
const register = checkLinearizable(history, { model: "register", initial: 0 });
console.log(register.valid); // false
if (register.valid === false) console.log(register.anomalies[0].explanation); // "… read → 0 — op 4 …"

// Jepsen's, Knossos's and Elle's histories as they write them, read with Jepsen's semantics.
const elle = fromJepsenEdn(`
{:type :invoke, :process 0, :value [[:r :x nil] [:append :y 1]]}
{:type :ok,     :process 0, :value [[:r :x nil] [:append :y 1]]}
{:type :invoke, :process 1, :value [[:r :y nil] [:append :x 2]]}
{:type :ok,     :process 1, :value [[:r :y nil] [:append :x 2]]}`);
console.log(checkListAppend(elle, { model: "snapshot-isolation" }).valid); // true: write skew is allowed
console.log(checkListAppend(elle, { model: "serializable" }).anomalyTypes); // [ 'G2-item' ]
