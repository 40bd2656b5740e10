// Node entry of the distributed mode: configuration from the environment, one service per process.
import { runServiceMain } from "@instagram/kit/node";
import { createCommentService, loadCommentEnv } from "./service.ts";

runServiceMain("comment", loadCommentEnv, createCommentService);
