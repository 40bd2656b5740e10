const messages = {
  invalid: "invalid access token",
  expired: "access token expired",
  revoked: "the session of this access token has ended",
} as const;

/** The token is missing a part, forged, expired, or not for us. The message is safe to show. */
export class TokenError extends Error {
  override name = "TokenError";
  readonly reason: "invalid" | "expired" | "revoked";

  constructor(reason: "invalid" | "expired" | "revoked", options?: { cause?: unknown }) {
    super(messages[reason], options);
    this.reason = reason;
  }
}

/** The key set could not be fetched: an outage, not a bad token. */
export class KeySetUnavailable extends Error {
  override name = "KeySetUnavailable";

  constructor(options?: { cause?: unknown }) {
    super("signing keys are unavailable", options);
  }
}
