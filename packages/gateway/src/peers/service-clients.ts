import { type Client, createClient, type Transport } from "@connectrpc/connect";
import { AuthService } from "@instagram/contracts/auth";
import { CommentService } from "@instagram/contracts/comment";
import { ImageService } from "@instagram/contracts/image";
import { UserService } from "@instagram/contracts/user";

/** How to reach each service (the kit's createServiceTransport; createRouterTransport in tests). */
export interface ServiceTransports {
  auth: Transport;
  user: Transport;
  image: Transport;
  comment: Transport;
}

/** The Connect clients the REST routes call. */
export interface ServiceClients {
  auth: Client<typeof AuthService>;
  user: Client<typeof UserService>;
  image: Client<typeof ImageService>;
  comment: Client<typeof CommentService>;
}

export function serviceClientsOf(transports: ServiceTransports): ServiceClients {
  return {
    auth: createClient(AuthService, transports.auth),
    user: createClient(UserService, transports.user),
    image: createClient(ImageService, transports.image),
    comment: createClient(CommentService, transports.comment),
  };
}
