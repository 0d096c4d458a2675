import { type Query, type RequestOptions, Resource } from "./base.js";

const COMPLETIONS = "/v1/organization/usage/completions";
const EMBEDDINGS = "/v1/organization/usage/embeddings";
const COSTS = "/v1/organization/costs";
const U = "/v1/organization/usage";

/** OpenAI's Usage API. Iterating yields time buckets across every page. */
export class Usage extends Resource {
  completions(query: Query<`GET ${typeof COMPLETIONS}`>, ro?: RequestOptions) {
    return this.buckets(`GET ${COMPLETIONS}`, query, ro);
  }
  embeddings(query: Query<`GET ${typeof EMBEDDINGS}`>, ro?: RequestOptions) {
    return this.buckets(`GET ${EMBEDDINGS}`, query, ro);
  }
  moderations(query: Query<`GET ${typeof U}/moderations`>, ro?: RequestOptions) {
    return this.buckets(`GET ${U}/moderations`, query, ro);
  }
  images(query: Query<`GET ${typeof U}/images`>, ro?: RequestOptions) {
    return this.buckets(`GET ${U}/images`, query, ro);
  }
  audioSpeeches(query: Query<`GET ${typeof U}/audio_speeches`>, ro?: RequestOptions) {
    return this.buckets(`GET ${U}/audio_speeches`, query, ro);
  }
  audioTranscriptions(query: Query<`GET ${typeof U}/audio_transcriptions`>, ro?: RequestOptions) {
    return this.buckets(`GET ${U}/audio_transcriptions`, query, ro);
  }
  vectorStores(query: Query<`GET ${typeof U}/vector_stores`>, ro?: RequestOptions) {
    return this.buckets(`GET ${U}/vector_stores`, query, ro);
  }
  codeInterpreterSessions(query: Query<`GET ${typeof U}/code_interpreter_sessions`>, ro?: RequestOptions) {
    return this.buckets(`GET ${U}/code_interpreter_sessions`, query, ro);
  }
  fileSearchCalls(query: Query<`GET ${typeof U}/file_search_calls`>, ro?: RequestOptions) {
    return this.buckets(`GET ${U}/file_search_calls`, query, ro);
  }
  webSearchCalls(query: Query<`GET ${typeof U}/web_search_calls`>, ro?: RequestOptions) {
    return this.buckets(`GET ${U}/web_search_calls`, query, ro);
  }
}

/** OpenAI's Costs API (daily buckets, amounts in USD). */
export class Costs extends Resource {
  list(query: Query<`GET ${typeof COSTS}`>, ro?: RequestOptions) {
    return this.buckets(`GET ${COSTS}`, query, ro);
  }
}
