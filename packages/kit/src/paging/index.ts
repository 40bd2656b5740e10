export {
  DEFAULT_PAGE_LIMIT,
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
  InvalidCursorError as InvalidCursor,
  invalidCursor,
  MAX_PAGE_LIMIT,
  type PageLimits,
  pageLimitSchema,
  resolvePage,
} from "./cursor.ts";
export {
  afterPosition,
  type ListPage,
  type ListPosition,
  type ListQuery,
  listCursor,
  pageOf,
  resolveListPage,
  selectListPage,
} from "./list-page.ts";
