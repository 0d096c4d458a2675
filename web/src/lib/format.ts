const dateFmt = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});
const intFmt = new Intl.NumberFormat();
const usdFmt = new Intl.NumberFormat(undefined, {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});

export const fmtDate = (s: number | null | undefined): string => (s ? dateFmt.format(s * 1000) : "—");
const shortFmt = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
/** Tables: "Nov 28" within the current year, the full date otherwise. */
export const fmtShortDate = (s: number | null | undefined): string =>
  !s
    ? "—"
    : new Date(s * 1000).getFullYear() === new Date().getFullYear()
      ? shortFmt.format(s * 1000)
      : fmtDate(s);
export const fmtDateTime = (s: number | null | undefined): string => (s ? dateTimeFmt.format(s * 1000) : "—");
export const fmtInt = (n: number): string => intFmt.format(n);
const smallUsdFmt = new Intl.NumberFormat(undefined, {
  style: "currency",
  currency: "USD",
  maximumSignificantDigits: 3,
});
/** Cents for normal amounts; three significant digits below a cent, so tiny test spends are not "$0.00". */
export const fmtUsd = (n: number): string => (n > 0 && n < 0.01 ? smallUsdFmt.format(n) : usdFmt.format(n));

/** "3 minutes ago" style, for last-used columns. */
export const fmtAgo = (s: number | null | undefined): string => {
  if (!s) return "Never";
  const d = Math.max(0, Math.floor(Date.now() / 1000) - s);
  if (d < 60) return "Just now";
  if (d < 3600) return `${Math.floor(d / 60)} min ago`;
  if (d < 86400) return `${Math.floor(d / 3600)} h ago`;
  return fmtShortDate(s);
};

/** Start of the current calendar month (UTC), the period budgets and "this period's spend" use. */
export const periodStart = (now = new Date()): number =>
  Math.floor(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) / 1000);
