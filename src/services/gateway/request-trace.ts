/**
 * What the pipeline learned about one request, for metrics: filled in as the request goes, read
 * by the transport after the outcome. Optional: a request without a trace costs nothing extra.
 */
export interface RequestTrace {
  /** The model the body named ("" until known). */
  model: string;
  /** The key's project ("" until the key is verified, and for admin keys). */
  projectId: string;
  /** Time spent waiting for the upstream (until headers, for streams); null if never forwarded. */
  upstreamMs: number | null;
  /** The provider that answered, or the first one tried when none did. */
  provider: string | null;
  /** Upstream attempts made (retries and fallbacks included). */
  attempts: number;
}

export const newTrace = (): RequestTrace => ({
  model: "",
  projectId: "",
  upstreamMs: null,
  provider: null,
  attempts: 0,
});
