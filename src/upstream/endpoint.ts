import type { Endpoint } from "./types.js";

/** The endpoint of a path after `/v1` (query string allowed). */
export const endpointOf = (path: string): Endpoint => {
  const q = path.indexOf("?");
  const p = q < 0 ? path : path.slice(0, q);
  switch (p) {
    case "/chat/completions":
      return "chat";
    case "/responses":
      return "responses";
    case "/completions":
      return "completions";
    case "/embeddings":
      return "embeddings";
    case "/models":
      return "models";
    default:
      return p.startsWith("/models/") ? "models" : "other";
  }
};
