import { initial } from "./001-initial.js";
import { spend } from "./002-spend.js";
import { usageRollups } from "./003-usage-rollups.js";
import type { Migration } from "./types.js";

/** Every migration, in version order. Append only; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [initial, spend, usageRollups];
