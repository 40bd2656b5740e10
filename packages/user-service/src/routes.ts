import type { ConnectRouter, ServiceImpl } from "@connectrpc/connect";
import { UserService } from "@instagram/contracts/user";

/** (router) => router.service(UserService, impl): served over Connect/gRPC-web by the app, gRPC by serveNode. */
export function userRoutes(impl: ServiceImpl<typeof UserService>): (router: ConnectRouter) => void {
  return (router) => {
    router.service(UserService, impl);
  };
}
