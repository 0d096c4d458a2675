import type { FastifyRequest } from "fastify";
import { AppError } from "../../domain/errors.js";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export const isUnsafeMethod = (method: string): boolean => !SAFE.has(method);

/** The origins this server answers as: the configured public URL and the Host the client used. */
const ownOrigins = (req: FastifyRequest, publicUrl: string | undefined): string[] => {
  const out = [`${req.protocol}://${req.headers.host ?? ""}`];
  if (publicUrl) out.push(new URL(publicUrl).origin);
  return out;
};

export const csrfRefused = (message: string): AppError =>
  new AppError("permission_denied", { message, wireCode: "csrf_failed" });

/**
 * Browsers send Origin on every cross-site (and every same-origin non-GET) request; one that names
 * another site is refused. Non-browser clients send none and still need the CSRF token.
 */
export const assertSameOrigin = (req: FastifyRequest, publicUrl: string | undefined): void => {
  const origin = req.headers.origin;
  if (origin === undefined) {
    if (req.headers["sec-fetch-site"] === "cross-site")
      throw csrfRefused("Cross-site requests are not accepted.");
    return;
  }
  if (!ownOrigins(req, publicUrl).includes(origin))
    throw csrfRefused(`Requests from ${origin} are not accepted.`);
};
