import { createRegistry, type DescFile, type DescService, type Registry, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, type ConnectRouter } from "@connectrpc/connect";
import { reflectionV1, reflectionV1alpha } from "@instagram/contracts/grpc";

/** The two versions' requests have the same shape; only their type names differ. */
interface ReflectionRequest {
  host: string;
  messageRequest:
    | { case: "fileByFilename"; value: string }
    | { case: "fileContainingSymbol"; value: string }
    | { case: "fileContainingExtension"; value: { containingType: string; extensionNumber: number } }
    | { case: "allExtensionNumbersOfType"; value: string }
    | { case: "listServices"; value: string }
    | { case: undefined; value?: undefined };
}

type ReflectionAnswer =
  | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
  | { case: "allExtensionNumbersResponse"; value: { baseTypeName: string; extensionNumber: number[] } }
  | { case: "listServicesResponse"; value: { service: { name: string }[] } }
  | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } };

/** The services and descriptor files a server describes to reflection clients. */
export class ServerDescription {
  readonly #services: string[];
  readonly #files = new Map<string, DescFile>();
  readonly #registry: Registry;

  constructor(services: DescService[]) {
    this.#services = [...new Set(services.map((service) => service.typeName))].sort();
    const visit = (file: DescFile): void => {
      if (this.#files.has(file.proto.name)) return;
      this.#files.set(file.proto.name, file);
      for (const dependency of file.dependencies) visit(dependency);
    };
    for (const service of services) visit(service.file);
    this.#registry = createRegistry(...this.#files.values());
  }

  answer(request: ReflectionRequest): ReflectionAnswer {
    const asked = request.messageRequest;
    switch (asked.case) {
      case "listServices":
        return { case: "listServicesResponse", value: { service: this.#services.map((name) => ({ name })) } };
      case "fileByFilename":
        return this.#filesFrom(this.#files.get(asked.value), `no file named "${asked.value}"`);
      case "fileContainingSymbol":
        return this.#filesFrom(this.#fileDeclaring(asked.value), `no symbol "${asked.value}"`);
      case "fileContainingExtension": {
        const { containingType, extensionNumber } = asked.value;
        const extendee = this.#registry.getMessage(containingType);
        const extension = extendee && this.#registry.getExtensionFor(extendee, extensionNumber);
        return this.#filesFrom(extension?.file, `no extension ${extensionNumber} of "${containingType}"`);
      }
      case "allExtensionNumbersOfType": {
        if (this.#registry.getMessage(asked.value) === undefined) {
          return notFound(`no message type "${asked.value}"`);
        }
        const numbers: number[] = [];
        for (const type of this.#registry) {
          if (type.kind === "extension" && type.extendee.typeName === asked.value) numbers.push(type.number);
        }
        return {
          case: "allExtensionNumbersResponse",
          value: { baseTypeName: asked.value, extensionNumber: numbers },
        };
      }
      default:
        return {
          case: "errorResponse",
          value: { errorCode: Code.InvalidArgument, errorMessage: "the request asks for nothing" },
        };
    }
  }

  /** A symbol is a type, a service, or a member of one (a method, a field, an enum value). */
  #fileDeclaring(symbol: string): DescFile | undefined {
    const type = this.#registry.get(symbol);
    if (type !== undefined) return type.file;
    const dot = symbol.lastIndexOf(".");
    if (dot <= 0) return undefined;
    const parent = this.#registry.get(symbol.slice(0, dot));
    const member = symbol.slice(dot + 1);
    switch (parent?.kind) {
      case "service":
        return parent.methods.some((method) => method.name === member) ? parent.file : undefined;
      case "message":
        return parent.fields.some((field) => field.name === member) ? parent.file : undefined;
      case "enum":
        return parent.values.some((value) => value.name === member) ? parent.file : undefined;
      default:
        return undefined;
    }
  }

  /** The file and everything it imports, as serialized FileDescriptorProtos (the file first). */
  #filesFrom(file: DescFile | undefined, missing: string): ReflectionAnswer {
    if (file === undefined) return notFound(missing);
    const closure = new Map<string, DescFile>();
    const visit = (next: DescFile): void => {
      if (closure.has(next.proto.name)) return;
      closure.set(next.proto.name, next);
      for (const dependency of next.dependencies) visit(dependency);
    };
    visit(file);
    return {
      case: "fileDescriptorResponse",
      value: {
        fileDescriptorProto: [...closure.values()].map((each) =>
          toBinary(FileDescriptorProtoSchema, each.proto),
        ),
      },
    };
  }
}

function notFound(message: string): ReflectionAnswer {
  return { case: "errorResponse", value: { errorCode: Code.NotFound, errorMessage: message } };
}

/**
 * gRPC server reflection, v1 and the older v1alpha that some tools still ask for first: how
 * grpcurl, Postman and other gRPC tools list the services and read their descriptors without
 * the .proto files. A bidirectional stream, so only over HTTP/2 (connectNodeAdapter).
 */
export function registerReflection(router: ConnectRouter, description: ServerDescription): void {
  router.service(reflectionV1.ServerReflection, {
    async *serverReflectionInfo(requests) {
      for await (const request of requests) {
        yield {
          validHost: request.host,
          originalRequest: request,
          messageResponse: description.answer(request),
        };
      }
    },
  });
  router.service(reflectionV1alpha.ServerReflection, {
    async *serverReflectionInfo(requests) {
      for await (const request of requests) {
        yield {
          validHost: request.host,
          originalRequest: request,
          messageResponse: description.answer(request),
        };
      }
    },
  });
}

/** The reflection services themselves, for a server's description. */
export const reflectionServices: DescService[] = [
  reflectionV1.ServerReflection,
  reflectionV1alpha.ServerReflection,
];
