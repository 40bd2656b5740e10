const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids (of users, edges) are UUIDs (v7); anything else cannot name a row. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export const BATCH_PROFILES_MAX = 100;
