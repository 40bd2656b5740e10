// Node entry of the distributed mode: configuration from the environment, one service per process.
import { runServiceMain } from "@instagram/kit/node";
import { createImageService, loadImageEnv } from "./service.ts";

runServiceMain("image", loadImageEnv, createImageService);
