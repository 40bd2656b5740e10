export {
  acceptServiceTokens,
  createServiceIdentity,
  guardInternalMethods,
  inMemoryServiceIdentity,
  instancesPresenting,
  type ServiceIdentity,
} from "./identity.ts";
export { callingServiceOf, presentServiceToken, requireServiceToken } from "./interceptors.ts";
export { isInternalMethod } from "./internal-methods.ts";
export { generateServiceKey, SERVICE_KEY_MIN_BYTES, serviceKeyBytes } from "./service-key.ts";
export {
  createServiceTokenSigner,
  createServiceTokenVerifier,
  SERVICE_TOKEN_AUDIENCE,
  SERVICE_TOKEN_HEADER,
  ServiceTokenRefused,
  type ServiceTokenSigner,
  type ServiceTokenVerifier,
} from "./service-tokens.ts";
