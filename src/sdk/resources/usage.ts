import { type Query, type RequestOptions, Resource } from "./base.js";

const COMPLETIONS = "/v1/organization/usage/completions";
const EMBEDDINGS = "/v1/organization/usage/embeddings";
const COSTS = "/v1/organization/costs";

/** OpenAI's Usage API. Iterating yields time buckets across every page. */
export class Usage extends Resource {
  completions(query: Query<`GET ${typeof COMPLETIONS}`>, ro?: RequestOptions) {
    return this.buckets(`GET ${COMPLETIONS}`, query, ro);
  }
  embeddings(query: Query<`GET ${typeof EMBEDDINGS}`>, ro?: RequestOptions) {
    return this.buckets(`GET ${EMBEDDINGS}`, query, ro);
  }
}

/** OpenAI's Costs API (daily buckets, amounts in USD). */
export class Costs extends Resource {
  list(query: Query<`GET ${typeof COSTS}`>, ro?: RequestOptions) {
    return this.buckets(`GET ${COSTS}`, query, ro);
  }
}
