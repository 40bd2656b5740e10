import type { Interceptor } from "@connectrpc/connect";
import type { InstanceTransports } from "../discovery/transport.ts";
import type { Logger } from "../log/logger.ts";
import { presentServiceToken, requireServiceToken } from "./interceptors.ts";
import { SERVICE_KEY_MIN_BYTES } from "./service-key.ts";
import {
  createServiceTokenSigner,
  createServiceTokenVerifier,
  type ServiceTokenSigner,
  type ServiceTokenVerifier,
} from "./service-tokens.ts";

/**
 * Who the services of one deployment are to each other: one shared key, a signer per calling
 * service (memoized) and the verifier of every service's tokens.
 */
export interface ServiceIdentity {
  signerFor(service: string): ServiceTokenSigner;
  verifier: ServiceTokenVerifier;
}

/**
 * The identity of a deployment whose services share `key` (≥ 32 bytes; serviceKeyBytes reads its
 * text). Tokens signed with one of `accepted` pass too: a key rotation in progress.
 */
export function createServiceIdentity(key: Uint8Array, accepted: Uint8Array[] = []): ServiceIdentity {
  if ([key, ...accepted].some((each) => each.length < SERVICE_KEY_MIN_BYTES))
    throw new Error(`a service key needs ${SERVICE_KEY_MIN_BYTES} bytes`);
  const signers = new Map<string, ServiceTokenSigner>();
  return {
    signerFor(service) {
      let signer = signers.get(service);
      if (signer === undefined) {
        signer = createServiceTokenSigner({ key, service });
        signers.set(service, signer);
      }
      return signer;
    },
    verifier: createServiceTokenVerifier({ keys: [key, ...accepted] }),
  };
}

/** A new key held in memory only: every service of one process (the embedded stack, tests). */
export function inMemoryServiceIdentity(): ServiceIdentity {
  return createServiceIdentity(crypto.getRandomValues(new Uint8Array(SERVICE_KEY_MIN_BYTES)));
}

/** `instances` whose calls to internal methods carry `signer`'s token. */
export function instancesPresenting(
  instances: InstanceTransports,
  signer: ServiceTokenSigner,
): InstanceTransports {
  const present = presentServiceToken(signer);
  return (baseUrl, interceptors) => instances(baseUrl, [...interceptors, present]);
}

const verifiers = new WeakMap<object, { verifier?: ServiceTokenVerifier }>();

/**
 * createServiceApp's guard of the app's internal methods. The app is built inside a service's
 * start, which never sees the deployment's key: launchModule hands the verifier over before it
 * serves the app (acceptServiceTokens). Until then, and for an app never launched, every internal
 * call is refused.
 */
export function guardInternalMethods(app: object, logger?: Logger): Interceptor {
  const slot: { verifier?: ServiceTokenVerifier } = {};
  verifiers.set(app, slot);
  return requireServiceToken(() => slot.verifier, logger);
}

/** Lets the internal methods of `app` (made by createServiceApp) answer tokens `verifier` accepts. */
export function acceptServiceTokens(app: object, verifier: ServiceTokenVerifier): void {
  const slot = verifiers.get(app);
  if (slot !== undefined) slot.verifier = verifier;
}
