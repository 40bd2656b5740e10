import type { ConnectRouter } from "@connectrpc/connect";
import { ImageService } from "@instagram/contracts/image";
import { createImageServiceImpl } from "./rpc/image-service.ts";
import type { ImageStore } from "./use-cases/image-store.ts";

export function createRoutes(store: ImageStore): (router: ConnectRouter) => void {
  return (router) => {
    router.service(ImageService, createImageServiceImpl(store));
  };
}
