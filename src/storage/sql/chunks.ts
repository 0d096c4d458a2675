/**
 * Splits `items` for multi-row statements into chunks of `max` rows, then the remainder into
 * power-of-two sizes (e.g. 500 → 256 + 128 + 64 + 32 + 16 + 4). A statement's SQL depends on its
 * row count, and SQLite keeps every cached prepared statement's native memory: arbitrary sizes made
 * up to ~256 distinct large statements (the process grew ~1 MB/s under load), these make ~10.
 */
export const statementChunks = <T>(items: readonly T[], max: number): T[][] => {
  const out: T[][] = [];
  let i = 0;
  for (let size = highestPowerOfTwo(max); size >= 1 && i < items.length; size >>= 1) {
    while (items.length - i >= size) {
      out.push(items.slice(i, i + size));
      i += size;
    }
  }
  return out;
};

const highestPowerOfTwo = (n: number): number => 2 ** Math.floor(Math.log2(Math.max(1, n)));
