export {
  DEFAULT_PAGE_LIMIT,
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
  InvalidCursorError as InvalidCursor,
  MAX_PAGE_LIMIT,
  pageLimitSchema,
  resolvePage,
} from "./cursor.ts";
