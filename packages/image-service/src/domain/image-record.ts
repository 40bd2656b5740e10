/** An image as every view (RPC message, upload JSON) is built from: the row plus its owner's name. */
export interface ImageRecord {
  id: string;
  ownerId: string;
  /** "" until the owner's users.CREATED event has reached this service. */
  ownerUsername: string;
  caption: string;
  hashtags: string[];
  mentions: string[];
  contentType: string;
  width: number;
  height: number;
  likesCount: number;
  commentsCount: number;
  likedByMe: boolean;
  createdAt: Date;
}

/** A page of a newest-first list: the rows and, when more may follow, the last row's key. */
export interface Page<T> {
  items: T[];
  nextKey: { createdAt: Date; id: string } | undefined;
}

/** Cuts a `limit + 1` query result into a page. */
export function pageOf<T>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => { createdAt: Date; id: string },
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextKey: rows.length > limit && last !== undefined ? keyOf(last) : undefined };
}
