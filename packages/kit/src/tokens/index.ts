export {
  type AuthServiceJwksOptions,
  authServiceJwks,
  authServiceRevokedSessions,
} from "./auth-service-jwks.ts";
export { authServiceVerifier } from "./auth-service-verifier.ts";
export {
  createRevokedSessions,
  type RevokedSession,
  type RevokedSessions,
  SESSION_ID_CLAIM,
} from "./revoked-sessions.ts";
export {
  type AccessTokenSigner,
  accessTokenAlgorithms,
  createAccessTokenSigner,
  generateSigningKey,
} from "./signer.ts";
export { KeySetUnavailable, TokenError } from "./token-error.ts";
export { type AccessTokenVerifier, createAccessTokenVerifier } from "./verifier.ts";
