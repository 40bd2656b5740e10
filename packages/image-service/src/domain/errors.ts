import { DomainError, notFound } from "@instagram/kit";

// image-service's refusals. Each `reason` names the refusal for tests and logs; a refusal about the
// uploaded file or caption names that field, as the upload route's problem+json shows it.

const fileRefusal = (kind: DomainError["kind"], reason: string, message: string): DomainError =>
  new DomainError(kind, message, { reason, fieldErrors: [{ path: "file", message }] });

export const imageNotFound = (): DomainError => notFound("image");
/** A user id this service saw deleted, or a username it does not know as active. */
export const userNotFound = (): DomainError => notFound("user");
export const notImageOwner = (): DomainError =>
  new DomainError("forbidden", "only the image's owner may do this", { reason: "not-image-owner" });
/** A still-valid token of a user this service already saw deleted: it may not add anything. */
export const accountGone = (): DomainError =>
  new DomainError("unauthenticated", "the account no longer exists", { reason: "account-gone" });
export const captionTooLong = (maxChars: number): DomainError => {
  const message = `the caption is longer than ${maxChars} characters`;
  return new DomainError("invalid-input", message, {
    reason: "caption-too-long",
    fieldErrors: [{ path: "caption", message }],
  });
};
export const emptyUpload = (): DomainError =>
  fileRefusal("invalid-input", "empty-upload", "the file is empty");
export const uploadTooLarge = (maxBytes: number): DomainError =>
  fileRefusal("too-large", "upload-too-large", `the file is larger than ${maxBytes} bytes`);
export const unsupportedType = (): DomainError =>
  fileRefusal("unsupported-media-type", "unsupported-type", "the file is not a JPEG, PNG, WebP or GIF image");
export const undecodableImage = (): DomainError =>
  fileRefusal(
    "invalid-input",
    "undecodable-image",
    "the image is damaged or truncated and cannot be decoded",
  );
/** A decompression bomb is too large a content to process, whatever its byte size. */
export const tooManyPixels = (maxPixels: number): DomainError =>
  fileRefusal("too-large", "too-many-pixels", `the image has more than ${maxPixels} pixels`);
/** A bad request with no field to name (the caption's text, the form's shape). */
export const badRequest = (message: string, reason?: string): DomainError =>
  new DomainError("invalid-input", message, { reason });
