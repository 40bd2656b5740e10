import { customType } from "drizzle-orm/pg-core";

/**
 * Usernames are ASCII [a-z0-9._] and sort byte-wise (collation "C") whatever the database's
 * locale, so one btree on lower(username) serves uniqueness, lookups, prefix ranges and the
 * search order (drizzle has no column collation option, hence a custom type).
 */
export const usernameText = customType<{ data: string; driverData: string }>({
  dataType() {
    return 'text COLLATE "C"';
  },
});
