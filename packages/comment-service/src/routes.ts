import type { ConnectRouter, ServiceImpl } from "@connectrpc/connect";
import { CommentService } from "@instagram/contracts/comment";

export function commentRoutes(impl: ServiceImpl<typeof CommentService>): (router: ConnectRouter) => void {
  return (router) => {
    router.service(CommentService, impl);
  };
}
