import { type DescMessage, type Message, ScalarType } from "@bufbuild/protobuf";
import { isReflectMessage, type ReflectMessage, reflect } from "@bufbuild/protobuf/reflect";
import type { Interceptor } from "@connectrpc/connect";
import { type FieldError, invalidArgument } from "../errors/field-errors.ts";

/**
 * Refuses a call whose request has a NUL character in any string, however deep, with InvalidArgument
 * naming the fields: PostgreSQL cannot store one in text, and a 500 from the database is no answer
 * to bad input. Every service's methods sit behind it (Connect, gRPC-web and gRPC).
 */
export const refuseNulText: Interceptor = (next) => async (req) => {
  if (req.stream) return next(req);
  const found = nulFields(reflect(req.method.input as DescMessage, req.message as Message), "");
  if (found.length > 0) {
    throw invalidArgument(
      "text must not contain the NUL character (U+0000)",
      found.map((path): FieldError => ({ path, message: "must not contain the NUL character" })),
    );
  }
  return next(req);
};

function nulFields(message: ReflectMessage, prefix: string): string[] {
  const found: string[] = [];
  const check = (value: unknown, path: string): void => {
    if (typeof value === "string") {
      if (value.includes("\u0000")) found.push(path);
    } else if (isReflectMessage(value)) {
      found.push(...nulFields(value, `${path}.`));
    }
  };
  for (const field of message.fields) {
    if (!message.isSet(field)) continue;
    const path = `${prefix}${field.jsonName}`;
    switch (field.fieldKind) {
      case "scalar":
        if (field.scalar === ScalarType.STRING) check(message.get(field), path);
        break;
      case "message":
        check(message.get(field), path);
        break;
      case "list": {
        let index = 0;
        for (const item of message.get(field)) check(item, `${path}[${index++}]`);
        break;
      }
      case "map":
        for (const [key, value] of message.get(field)) {
          check(key, `${path}.${String(key)}`);
          check(value, `${path}.${String(key)}`);
        }
        break;
    }
  }
  return found;
}
