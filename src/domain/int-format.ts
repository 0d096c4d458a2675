/**
 * Integer formatting for the hot path. A time in ms, a cost in micro-dollars or a limit of ten
 * billion is past 2^30, so V8 holds it as a heap number and formats it through its floating-point
 * printer: 2–4× the cost of two small integers. Each function writes what String() or
 * toString(16) would, split into halves that stay small.
 */

/** A non-negative integer's decimal digits, exactly as String(n) (anything else goes to String). */
export const intString = (n: number): string => {
  if (n < 1_000_000_000 || !Number.isSafeInteger(n)) return String(n);
  const high = Math.floor(n / 1_000_000_000);
  return String(high) + String(n - high * 1_000_000_000).padStart(9, "0");
};

const HALF = 2 ** 24;

/** A non-negative integer below 2^48 as 12 lower-case hex digits, zero-padded (a time in ms). */
export const hex12 = (n: number): string => {
  if (!(n >= 0 && n < HALF * HALF && Number.isInteger(n))) return n.toString(16).padStart(12, "0");
  const high = Math.floor(n / HALF);
  return high.toString(16).padStart(6, "0") + (n - high * HALF).toString(16).padStart(6, "0");
};
