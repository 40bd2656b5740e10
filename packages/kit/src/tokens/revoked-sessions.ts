/** The claim naming an access token's session (auth-service signs it into every token). */
export const SESSION_ID_CLAIM = "sid";

export interface RevokedSession {
  sessionId: string;
  revokedAt: Date;
}

/** Sessions whose access tokens are refused, as the verifier asks it. */
export interface RevokedSessions {
  /** Whether the session is known revoked; refreshes the set first when it is older than the poll. */
  isRevoked(sessionId: string): Promise<boolean>;
}

/**
 * The revoked sessions, polled from auth-service (`fetchSince`, e.g. authServiceRevokedSessions):
 * on a check, when the set is older than `pollMs`, the revocations since the last one seen are
 * fetched (one fetch at a time, shared by concurrent checks). A revocation thus takes effect on
 * every verifier within `pollMs` plus one fetch, without a Kafka consumer in the gateway and without
 * a call per request. Each session is remembered only until `rememberMs` past its revocation (the
 * longest access-token lifetime): after that its tokens have expired anyway.
 *
 * While auth-service cannot answer, the last known set is used (availability over freshness:
 * the token's own expiry still bounds the risk) and the next fetch waits `pollMs`.
 */
export function createRevokedSessions(opts: {
  fetchSince: (since: Date) => Promise<RevokedSession[]>;
  /** Default 2 s. */
  pollMs?: number;
  /** Default 16 min (the 15-min access-token bound plus clock tolerance). */
  rememberMs?: number;
  /** A page this full means more may follow: fetch again at once. Default 1000. */
  pageSize?: number;
  now?: () => number;
}): RevokedSessions {
  const now = opts.now ?? Date.now;
  const pollMs = opts.pollMs ?? 2_000;
  const rememberMs = opts.rememberMs ?? 16 * 60_000;
  const pageSize = opts.pageSize ?? 1_000;
  const revoked = new Map<string, number>();
  let cursor = new Date(now() - rememberMs);
  let checkedAt = Number.NEGATIVE_INFINITY;
  let fetching: Promise<void> | undefined;

  async function fetchAll(): Promise<void> {
    for (let page = 0; page < 100; page++) {
      const found = await opts.fetchSince(cursor);
      for (const session of found) {
        revoked.set(session.sessionId, session.revokedAt.getTime());
        if (session.revokedAt > cursor) cursor = session.revokedAt;
      }
      if (found.length < pageSize) break;
    }
    const forgetBefore = now() - rememberMs;
    for (const [id, at] of revoked) if (at < forgetBefore) revoked.delete(id);
  }

  function refresh(): Promise<void> {
    fetching ??= fetchAll()
      .catch(() => {
        // Kept: the last known set (see above).
      })
      .finally(() => {
        checkedAt = now();
        fetching = undefined;
      });
    return fetching;
  }

  return {
    async isRevoked(sessionId) {
      if (now() - checkedAt >= pollMs) await refresh();
      return revoked.has(sessionId);
    },
  };
}
