import postgres from "postgres";
import { type ChannelListener, type Notifications, tellListeners } from "./notifications.ts";

export interface PostgresNotifications extends Notifications {
  close(): Promise<void>;
}

// `onnotify` is the driver's own option its `sql.listen()` is built on. sql.listen() re-listens
// after a lost connection once, silently giving up if the database is still away; with our own
// connection we see the loss (onclose) and keep re-listening with backoff.
type ListeningOptions = postgres.Options<Record<string, never>> & {
  onnotify(channel: string, payload: string): void;
};

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 1_000;

/**
 * LISTEN/NOTIFY on PostgreSQL over one dedicated connection (opened on the first listen), kept
 * open for good. When it is lost, listeners hear `listening(false)`, and `listening(true)` once
 * every channel is listened to again on a new connection.
 */
export function createPostgresNotifications(url: string): PostgresNotifications {
  const channels = new Map<string, { listeners: Set<ChannelListener>; listened: Promise<void> }>();
  let client: postgres.Sql | undefined;
  let live = false;
  let closed = false;
  let relistening: Promise<void> | undefined;
  /** The connection closed while a re-listen was running: run it again. */
  let lostAgain = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let endRetry: (() => void) | undefined;

  const everyListener = () => [...channels.values()].flatMap((entry) => [...entry.listeners]);
  const quoted = (channel: string) => `"${channel.replace(/"/g, '""')}"`;

  function connection(): postgres.Sql {
    if (client === undefined) {
      const options: ListeningOptions = {
        max: 1,
        idle_timeout: undefined,
        max_lifetime: null,
        fetch_types: false,
        onnotice: () => {},
        onnotify: (channel) => tellListeners(channels.get(channel)?.listeners ?? [], (l) => l.notified()),
        onclose: () => lost(),
      };
      client = postgres(url, options);
    }
    return client;
  }

  function lost(): void {
    if (closed) return;
    if (live) {
      live = false;
      tellListeners(everyListener(), (l) => l.listening(false));
    }
    relisten();
  }

  /** A channel's first LISTEN; when it fails (or a re-listen is running), the re-listen loop takes over. */
  async function listenTo(channel: string): Promise<void> {
    if (relistening !== undefined) {
      lostAgain = true;
      return;
    }
    try {
      await connection().unsafe(`listen ${quoted(channel)}`);
      if (relistening === undefined) live = true;
    } catch {
      relisten();
    }
  }

  function wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      endRetry = resolve;
      retryTimer = setTimeout(resolve, ms);
    });
  }

  function relisten(): void {
    if (relistening !== undefined) {
      lostAgain = true;
      return;
    }
    relistening = (async () => {
      for (let attempt = 0; !closed && channels.size > 0; attempt++) {
        lostAgain = false;
        try {
          for (const channel of channels.keys()) await connection().unsafe(`listen ${quoted(channel)}`);
          if (lostAgain) continue;
          live = true;
          tellListeners(everyListener(), (l) => l.listening(true));
          return;
        } catch {
          await wait(Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt));
        }
      }
    })().finally(() => {
      relistening = undefined;
    });
  }

  return {
    async listen(channel, listener) {
      if (closed) throw new Error("notifications are closed");
      let entry = channels.get(channel);
      if (entry === undefined) {
        entry = { listeners: new Set(), listened: listenTo(channel) };
        channels.set(channel, entry);
      }
      entry.listeners.add(listener);
      // Also when another listener's LISTEN of this channel is still on its way.
      await entry.listened;
      if (live && relistening === undefined) listener.listening(true);
      return async () => {
        const current = channels.get(channel);
        if (current === undefined || !current.listeners.delete(listener) || current.listeners.size > 0)
          return;
        channels.delete(channel);
        await client?.unsafe(`unlisten ${quoted(channel)}`).catch(() => undefined);
      };
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      endRetry?.();
      await relistening;
      const ending = client;
      client = undefined;
      await ending?.end({ timeout: 5 });
    },
  };
}
