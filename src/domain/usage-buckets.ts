/**
 * Time buckets of OpenAI's Usage and Costs APIs, pure. Buckets start on UTC boundaries of their
 * width (the first one contains start_time); `limit` counts buckets, empty ones included, and
 * `next_page` names where the next page starts.
 */
import { invalidRequest } from "./errors.js";

export type BucketWidth = "1m" | "1h" | "1d";
export type Granularity = "minute" | "hour" | "day";

export const BUCKET_SECONDS: Record<BucketWidth, number> = { "1m": 60, "1h": 3600, "1d": 86_400 };
export const GRANULARITY: Record<BucketWidth, Granularity> = { "1m": "minute", "1h": "hour", "1d": "day" };

/** OpenAI's default and maximum bucket counts per page. */
export const USAGE_BUCKET_LIMITS: Record<BucketWidth, { default: number; max: number }> = {
  "1d": { default: 7, max: 31 },
  "1h": { default: 24, max: 168 },
  "1m": { default: 60, max: 1440 },
};
/** The Costs API has only 1d buckets and its own range. */
export const COST_BUCKET_LIMITS = { default: 7, max: 180 } as const;

export interface BucketPlanInput {
  startTime: number;
  /** Exclusive; the caller defaults it to now. */
  endTime: number;
  width: BucketWidth;
  limit: number;
  /** The `page` cursor of the previous response, if any. */
  page?: string | undefined;
}

export interface BucketPlan {
  width: BucketWidth;
  /** Bucket starts of this page, ascending (Unix seconds). */
  starts: number[];
  /** Exclusive end of this page's last bucket. */
  end: number;
  nextPage: string | null;
}

const CURSOR_PREFIX = "page_";

/**
 * The cursor binds the page to its query: the aligned first bucket and the next bucket start,
 * two 64-bit big-endian integers, base64 (shaped like OpenAI's `page_AAAAAGdGxdE…=`).
 */
export const encodePageCursor = (firstStart: number, nextStart: number): string => {
  const b = Buffer.alloc(16);
  b.writeBigInt64BE(BigInt(firstStart), 0);
  b.writeBigInt64BE(BigInt(nextStart), 8);
  return `${CURSOR_PREFIX}${b.toString("base64")}`;
};

export const decodePageCursor = (page: string): { firstStart: number; nextStart: number } | null => {
  if (!page.startsWith(CURSOR_PREFIX)) return null;
  const b = Buffer.from(page.slice(CURSOR_PREFIX.length), "base64");
  if (b.length !== 16) return null;
  return { firstStart: Number(b.readBigInt64BE(0)), nextStart: Number(b.readBigInt64BE(8)) };
};

export const alignDown = (t: number, width: BucketWidth): number => {
  const w = BUCKET_SECONDS[width];
  return Math.floor(t / w) * w;
};

/** The buckets one page answers. Throws OpenAI's 400 for an empty range or a foreign cursor. */
export const planBuckets = (input: BucketPlanInput): BucketPlan => {
  const w = BUCKET_SECONDS[input.width];
  if (input.endTime <= input.startTime) {
    throw invalidRequest("Invalid 'end_time': must be greater than start_time.", "end_time");
  }
  const first = alignDown(input.startTime, input.width);
  let from = first;
  if (input.page !== undefined) {
    const c = decodePageCursor(input.page);
    if (
      !c ||
      c.firstStart !== first ||
      c.nextStart <= first ||
      c.nextStart >= input.endTime ||
      (c.nextStart - first) % w !== 0
    ) {
      throw invalidRequest("Invalid 'page': the cursor does not belong to this query.", "page");
    }
    from = c.nextStart;
  }
  const total = Math.ceil((input.endTime - from) / w);
  const count = Math.min(total, input.limit);
  const starts = Array.from({ length: count }, (_, i) => from + i * w);
  const end = from + count * w;
  return {
    width: input.width,
    starts,
    end,
    nextPage: total > count ? encodePageCursor(first, end) : null,
  };
};
