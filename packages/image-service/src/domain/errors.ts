/** Why an image request was refused; the RPC and HTTP rims map each kind to a code/status. */
export type ImageErrorKind =
  | "not-found"
  | "forbidden"
  | "account-gone"
  | "invalid-input"
  | "caption-too-long"
  | "empty-upload"
  | "upload-too-large"
  | "unsupported-type"
  | "undecodable-image"
  | "too-many-pixels";

export class ImageError extends Error {
  override name = "ImageError";
  readonly kind: ImageErrorKind;

  constructor(kind: ImageErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

export const imageNotFound = (): ImageError => new ImageError("not-found", "image not found");
export const notImageOwner = (): ImageError =>
  new ImageError("forbidden", "only the image's owner may do this");
/** A still-valid token of a user this service already saw deleted: it may not add anything. */
export const accountGone = (): ImageError => new ImageError("account-gone", "the account no longer exists");
export const emptyUpload = (): ImageError => new ImageError("empty-upload", "the file is empty");
export const uploadTooLarge = (maxBytes: number): ImageError =>
  new ImageError("upload-too-large", `the file is larger than ${maxBytes} bytes`);
export const unsupportedType = (): ImageError =>
  new ImageError("unsupported-type", "the file is not a JPEG, PNG, WebP or GIF image");
export const undecodableImage = (): ImageError =>
  new ImageError("undecodable-image", "the image is damaged or truncated and cannot be decoded");
export const tooManyPixels = (maxPixels: number): ImageError =>
  new ImageError("too-many-pixels", `the image has more than ${maxPixels} pixels`);

export function isImageError(error: unknown, kind?: ImageErrorKind): error is ImageError {
  return error instanceof ImageError && (kind === undefined || error.kind === kind);
}
