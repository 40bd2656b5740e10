import { expect } from "vitest";
import type { Client, Image, Upload } from "./client.ts";
import { contentTypes, type Format, picture } from "./test-images.ts";

/** Uploads and expects 201 with the image. */
export async function post(client: Client, upload: Upload): Promise<Image> {
  const reply = await client.upload(upload);
  expect(reply.status, reply.text).toBe(201);
  return reply.body;
}

/** Uploads a small picture with this caption. */
export async function postPicture(
  client: Client,
  caption = "",
  options: { format?: Format; width?: number; height?: number } = {},
): Promise<Image> {
  const format = options.format ?? "png";
  const bytes = await picture(format, options.width ?? 48, options.height ?? 32);
  return post(client, { bytes, caption, contentType: contentTypes[format], filename: `picture.${format}` });
}
