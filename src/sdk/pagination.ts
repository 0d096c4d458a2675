import type { ListPage, UsageBucket, UsagePage } from "./types.js";

/**
 * A list call: `for await (const item of list)` walks every page (`after=<last_id>` while
 * `has_more`); `firstPage()` fetches one page; `pages()` yields whole envelopes.
 */
export class CursorList<T extends { id: string }> implements AsyncIterable<T> {
  constructor(private readonly fetchPage: (after: string | undefined) => Promise<ListPage<T>>) {}

  firstPage(): Promise<ListPage<T>> {
    return this.fetchPage(undefined);
  }

  async *pages(): AsyncGenerator<ListPage<T>, void, undefined> {
    let after: string | undefined;
    for (;;) {
      const page = await this.fetchPage(after);
      yield page;
      // OpenAI's clients page on last_id; admin_api_keys pages on the last item — both agree here.
      const next = page.last_id ?? page.data[page.data.length - 1]?.id;
      if (!page.has_more || !next || next === after) return;
      after = next;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** Collects items, stopping after `max` (default: all). */
  async toArray(max = Number.POSITIVE_INFINITY): Promise<T[]> {
    const out: T[] = [];
    if (max <= 0) return out;
    for await (const item of this) {
      out.push(item);
      if (out.length >= max) break;
    }
    return out;
  }
}

/** OpenAI's usage/costs pages (shape C): the next request sends `page=<next_page>`. */
export class BucketList<R> implements AsyncIterable<UsageBucket<R>> {
  constructor(private readonly fetchPage: (page: string | undefined) => Promise<UsagePage<R>>) {}

  firstPage(): Promise<UsagePage<R>> {
    return this.fetchPage(undefined);
  }

  async *pages(): AsyncGenerator<UsagePage<R>, void, undefined> {
    let token: string | undefined;
    for (;;) {
      const page = await this.fetchPage(token);
      yield page;
      if (!page.has_more || !page.next_page || page.next_page === token) return;
      token = page.next_page;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<UsageBucket<R>, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  async toArray(): Promise<UsageBucket<R>[]> {
    const out: UsageBucket<R>[] = [];
    for await (const b of this) out.push(b);
    return out;
  }
}
