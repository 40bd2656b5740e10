import type { ConnectRouter, ServiceImpl } from "@connectrpc/connect";
import { AuthService } from "@instagram/contracts/auth";

export function authRoutes(impl: ServiceImpl<typeof AuthService>): (router: ConnectRouter) => void {
  return (router) => {
    router.service(AuthService, impl);
  };
}
