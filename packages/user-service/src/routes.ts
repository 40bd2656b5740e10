import type { ConnectRouter } from "@connectrpc/connect";
import { UserService } from "@instagram/contracts/user";
import type { Database, Logger, Outbox } from "@instagram/kit";
import { createFollowGraph } from "./follow-graph.ts";
import { createProfileDirectory } from "./profile-directory.ts";
import { createUserServiceImpl } from "./rpc/user-service.ts";

export interface RoutesDeps {
  db: Database;
  outbox: Outbox;
  /** Called after a commit that published events (the relay's kick). */
  published?: () => void;
  logger: Logger;
}

/** (router) => router.service(UserService, impl): served over Connect/gRPC-web by the app, gRPC by serveNode. */
export function createRoutes(deps: RoutesDeps): (router: ConnectRouter) => void {
  const impl = createUserServiceImpl({
    directory: createProfileDirectory(deps),
    graph: createFollowGraph(deps),
    logger: deps.logger,
  });
  return (router) => {
    router.service(UserService, impl);
  };
}
