import type { Database } from "./types.ts";

/** Hears one channel of a database's LISTEN/NOTIFY. */
export interface ChannelListener {
  /** A NOTIFY on the channel was delivered (after the notifying transaction committed). */
  notified(): void;
  /**
   * true: LISTEN is in place (first time, or again after a reconnect: what was notified in
   * between was missed). false: the listening connection is lost, nothing is heard until true.
   */
  listening(live: boolean): void;
}

export type Unlisten = () => Promise<void>;

/**
 * LISTEN/NOTIFY of one database, implemented by its connector. `listen` resolves once the
 * listener is registered, whether or not LISTEN is in place yet: the connector keeps trying and
 * reports through `listening`.
 */
export interface Notifications {
  listen(channel: string, listener: ChannelListener): Promise<Unlisten>;
}

// Services get a drizzle `db`, not their connector: the connector attaches what it can do to the
// db it made, and the outbox relay finds it there.
const attached = new WeakMap<Database, Notifications>();

export function attachNotifications(db: Database, notifications: Notifications): void {
  attached.set(db, notifications);
}

/** The LISTEN/NOTIFY of the connector that made `db`; undefined for a db made elsewhere. */
export function notificationsOf(db: Database): Notifications | undefined {
  return attached.get(db);
}

/**
 * A channel name that needs no quoting (PGlite sends LISTEN unquoted, which folds case):
 * lower-case letters, digits and underscores, at most 63 bytes.
 */
export function channelName(...parts: string[]): string {
  return parts
    .join("_")
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_")
    .slice(0, 63);
}

/** Calls every listener of a channel, one throwing not stopping the others. */
export function tellListeners(
  listeners: Iterable<ChannelListener>,
  tell: (listener: ChannelListener) => void,
): void {
  for (const listener of listeners) {
    try {
      tell(listener);
    } catch {
      // A listener's own failure is its business; the connection carries on.
    }
  }
}
