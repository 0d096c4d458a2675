import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Routes served on node:http before Fastify sees the request (the gateway's hot path). `handle`
 * returns false for anything it does not serve, which then goes to Fastify as usual.
 */
export interface FrontHandler {
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Called when the server starts closing: new requests get 503, as Fastify answers its own. */
  startClosing(): void;
}
