import { MemoryRateLimiter } from "./memory-rate-limiter.js";
import { runRateLimiterContract } from "./rate-limiter.contract.js";

runRateLimiterContract("memory", (opts) => new MemoryRateLimiter(opts));
