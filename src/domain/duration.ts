/**
 * Formats a duration the way OpenAI's `x-ratelimit-reset-*` headers and 429 messages do, which is
 * Go's `time.Duration.String()`: `12ms`, `0.5ms`, `1s`, `9.816s`, `1m30s`, `6m0s`, `1h0m0s`, `0s`.
 * Sub-millisecond values stay in `ms` (OpenAI prints `0.5ms` where Go would print `500µs`).
 * Precision is one microsecond; trailing zeros of the fraction are dropped.
 */
export const formatDuration = (ms: number): string => {
  if (!Number.isFinite(ms)) return "0s";
  if (ms < 0) return `-${formatDuration(-ms)}`;
  const micros = Math.round(ms * 1000);
  if (micros === 0) return "0s";
  if (micros < 1_000_000) return `${withFraction(Math.floor(micros / 1000), micros % 1000, 3)}ms`;
  const totalSeconds = Math.floor(micros / 1_000_000);
  const seconds = `${withFraction(totalSeconds % 60, micros % 1_000_000, 6)}s`;
  if (totalSeconds < 60) return seconds;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) return `${totalMinutes}m${seconds}`;
  return `${Math.floor(totalMinutes / 60)}h${totalMinutes % 60}m${seconds}`;
};

/** `whole.fraction` with the fraction's trailing zeros dropped (no regex: on every response). */
const withFraction = (whole: number, fraction: number, digits: number): string => {
  if (fraction === 0) return String(whole);
  let f = fraction;
  let width = digits;
  while (f % 10 === 0) {
    f /= 10;
    width--;
  }
  return `${whole}.${String(f).padStart(width, "0")}`;
};
