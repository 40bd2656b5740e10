/** The token is missing a part, forged, expired, or not for us. The message is safe to show. */
export class TokenError extends Error {
  override name = "TokenError";
  readonly reason: "invalid" | "expired";

  constructor(reason: "invalid" | "expired", options?: { cause?: unknown }) {
    super(reason === "expired" ? "access token expired" : "invalid access token", options);
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
