export {
  bearerOf,
  type Caller,
  callerClaimsOf,
  callerOf,
  createAuthInterceptor,
  requireCaller,
} from "./caller.ts";
