const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID string: ids that are not would make PostgreSQL refuse the whole uuid query. */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** The non-empty strings of a list, first occurrence kept. */
export function unique(values: readonly (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''))];
}
