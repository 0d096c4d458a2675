/**
 * Which gateway endpoints each Usage API page counts. Usage events name their endpoint either
 * by kind ("chat") or by path ("/v1/chat/completions"); both spellings are listed.
 */
export type UsageKind = "completions" | "embeddings" | "moderations";

export const USAGE_KIND_ENDPOINTS: Record<UsageKind, readonly string[]> = {
  completions: [
    "chat",
    "responses",
    "completions",
    "/v1/chat/completions",
    "/v1/responses",
    "/v1/completions",
  ],
  embeddings: ["embeddings", "/v1/embeddings"],
  moderations: ["moderations", "/v1/moderations"],
};

/** Usage pages of OpenAI's spec that our gateway cannot produce: they answer empty buckets. */
export const EMPTY_USAGE_PAGES = [
  "images",
  "audio_speeches",
  "audio_transcriptions",
  "vector_stores",
  "code_interpreter_sessions",
  "file_search_calls",
  "web_search_calls",
] as const;
export type EmptyUsagePage = (typeof EMPTY_USAGE_PAGES)[number];
