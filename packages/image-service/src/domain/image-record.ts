/** An image as every view (RPC message, upload JSON) is built from: the row plus its owner's name. */
export interface ImageRecord {
  id: string;
  ownerId: string;
  /** "" until the owner's users.CREATED event has reached this service. */
  ownerUsername: string;
  caption: string;
  hashtags: string[];
  mentions: string[];
  contentType: string;
  width: number;
  height: number;
  likesCount: number;
  commentsCount: number;
  likedByMe: boolean;
  createdAt: Date;
}
