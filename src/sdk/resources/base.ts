import type { Body, Params, Query, ResponseOf, RouteKey } from "../operations.js";
import { BucketList, CursorList } from "../pagination.js";
import type { RequestOptions, Transport } from "../transport.js";
import type { ListPage, UsagePage } from "../types.js";

type Item<K extends RouteKey> = ResponseOf<K> extends ListPage<infer T extends { id: string }> ? T : never;
type Bucket<K extends RouteKey> = ResponseOf<K> extends UsagePage<infer R> ? R : never;

export type { Body, Params, Query, RequestOptions };

/** Shared plumbing for resource classes. */
export abstract class Resource {
  constructor(protected readonly t: Transport) {}

  protected cursor<K extends RouteKey>(
    route: K,
    params: Params<K>,
    query: Query<K> | undefined,
    ro: RequestOptions | undefined,
  ): CursorList<Item<K>> {
    return new CursorList((after) => {
      const q = { ...query, ...(after === undefined ? {} : { after }) } as Query<K>;
      return this.t.call(route, { params, query: q }, ro) as Promise<ListPage<Item<K>>>;
    });
  }

  protected buckets<K extends RouteKey>(
    route: K,
    query: Query<K>,
    ro: RequestOptions | undefined,
  ): BucketList<Bucket<K>> {
    return new BucketList((page) => {
      const q = { ...query, ...(page === undefined ? {} : { page }) } as Query<K>;
      return this.t.call(route, { query: q }, ro) as Promise<UsagePage<Bucket<K>>>;
    });
  }
}
