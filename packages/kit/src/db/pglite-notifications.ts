import type { PGlite } from "@electric-sql/pglite";
import type { ChannelListener, Notifications } from "./notifications.ts";

/**
 * LISTEN/NOTIFY on PGlite: one in-process instance, so LISTEN is never lost; a NOTIFY reaches
 * the callback when the notifying transaction commits.
 */
export function pgliteNotifications(client: PGlite): Notifications {
  return {
    async listen(channel: string, listener: ChannelListener) {
      const unlisten = await client.listen(channel, () => listener.notified());
      listener.listening(true);
      return async () => {
        if (!client.closed) await unlisten();
      };
    },
  };
}
