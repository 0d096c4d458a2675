/** JSON columns are text on both dialects. */
export const toJson = (v: unknown): string => JSON.stringify(v);

export function fromJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

export function fromJsonOrNull<T>(text: string | null): T | null {
  return text === null ? null : fromJson<T>(text);
}

/**
 * How each field of a patch becomes columns. Total over the patch type, so adding a field to a
 * Patch type without teaching the repo to store it is a compile error, not a silent no-op.
 */
export type PatchMap<P, Row> = { [K in keyof Required<P>]: (v: Exclude<P[K], undefined>) => Partial<Row> };

/** The columns to set for the fields the patch names (undefined = leave as is). */
export function patchColumns<P extends object, Row>(patch: P, map: PatchMap<P, Row>): Partial<Row> {
  const out: Partial<Row> = {};
  for (const k of Object.keys(patch) as (keyof P)[]) {
    const v = patch[k];
    if (v !== undefined && k in map) Object.assign(out, map[k](v as Exclude<P[keyof P], undefined>));
  }
  return out;
}
