import { AppError } from "../../domain/errors.js";
import type { ServiceCtx } from "../context.js";
import type { LimitsPolicy } from "./limits-policy.js";

/** The limits policy of a context; every admin context built by the server has one. */
export const policyOf = (ctx: ServiceCtx): LimitsPolicy => {
  if (!ctx.limits) throw new AppError("internal", { message: "limits policy is not configured" });
  return ctx.limits;
};
