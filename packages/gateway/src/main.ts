// Node entry of the distributed mode: configuration from the environment, one service per process.
import { runServiceMain } from "@instagram/kit/node";
import { listenOptionsOf } from "./listen.ts";
import { createGatewayService, loadGatewayEnv } from "./service.ts";

runServiceMain("gateway", loadGatewayEnv, createGatewayService, { events: false, listen: listenOptionsOf });
