import { initial } from "./001-initial.js";
import { spend } from "./002-spend.js";
import { usageRollups } from "./003-usage-rollups.js";
import { consoleAuth } from "./004-console.js";
import { usageWriteIndex } from "./005-usage-write-index.js";
import type { Migration } from "./types.js";

/** Every migration, in version order. Append only; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [initial, spend, usageRollups, consoleAuth, usageWriteIndex];
