// Node entry of the distributed mode: configuration from the environment, one service per process.
import { runServiceMain } from "@instagram/kit/node";
import { createAuthService, loadAuthEnv } from "./service.ts";

runServiceMain("auth", loadAuthEnv, createAuthService);
