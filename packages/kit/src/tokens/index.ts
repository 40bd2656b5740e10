export { type AuthServiceJwksOptions, authServiceJwks } from "./auth-service-jwks.ts";
export {
  type AccessTokenSigner,
  accessTokenAlgorithms,
  createAccessTokenSigner,
  generateSigningKey,
} from "./signer.ts";
export { KeySetUnavailable, TokenError } from "./token-error.ts";
export { type AccessTokenVerifier, createAccessTokenVerifier } from "./verifier.ts";
