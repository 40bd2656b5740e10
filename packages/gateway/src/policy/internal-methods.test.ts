import type { DescMethod } from "@bufbuild/protobuf";
import { isInternalMethod } from "@instagram/kit";
import { describe, expect, it } from "vitest";
import { relayedServices } from "../routes/public-rpcs.ts";
import { isOperation, policies, policyOfMethod, procedureOf } from "./table.ts";

// Which methods are internal is declared once, in the .proto files; the policy table says it
// again for the reader, and must agree.

const methods: DescMethod[] = relayedServices.flatMap((service) => service.methods);

describe("internal methods: the .proto and the policy table", () => {
  it("marks the same methods internal", () => {
    const inProto = methods.filter(isInternalMethod).map(procedureOf).sort();
    const inTable = methods
      .map(procedureOf)
      .filter((key) => isOperation(key) && policies[key].access === "internal")
      .sort();
    expect(inTable).toEqual(inProto);
    expect(inProto).toEqual([
      "instagram.auth.v1.AuthService/ListRevokedSessions",
      "instagram.image.v1.ImageService/BatchGetImageOwners",
      "instagram.user.v1.UserService/BatchGetProfiles",
      "instagram.user.v1.UserService/ListFolloweeIds",
    ]);
  });

  it("never relays a method the .proto marks internal", () => {
    for (const method of methods.filter(isInternalMethod)) {
      expect(policyOfMethod(method).access).toBe("internal");
    }
  });
});
