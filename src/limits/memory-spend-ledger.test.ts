import { MemorySpendLedger } from "./memory-spend-ledger.js";
import { runSpendLedgerContract } from "./spend-ledger.contract.js";

runSpendLedgerContract("memory", (opts) => new MemorySpendLedger(opts));
