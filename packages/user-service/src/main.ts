// Node entry of the distributed mode: configuration from the environment, one service per process.
import { runServiceMain } from "@instagram/kit/node";
import { createUserService, loadUserEnv } from "./service.ts";

runServiceMain("user", loadUserEnv, createUserService);
