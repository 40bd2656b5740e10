const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids here are UUIDs; a string that is not one names nothing we store. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
