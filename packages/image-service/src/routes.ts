import type { ConnectRouter } from "@connectrpc/connect";
import { ImageService } from "@instagram/contracts/image";
import type { ImageStore } from "./images/image-deps.ts";
import { createImageServiceImpl } from "./rpc/image-service.ts";

export function createRoutes(store: ImageStore): (router: ConnectRouter) => void {
  return (router) => {
    router.service(ImageService, createImageServiceImpl(store));
  };
}
