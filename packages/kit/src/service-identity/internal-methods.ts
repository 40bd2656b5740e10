import { type DescMethod, getOption } from "@bufbuild/protobuf";
import { internal } from "@instagram/contracts/options";

const known = new WeakMap<DescMethod, boolean>();

/**
 * Whether only other services may call `method`: the `(instagram.options.v1.internal)` option in
 * its .proto, the one declaration both the services and the gateway's policy read.
 */
export function isInternalMethod(method: DescMethod): boolean {
  let answer = known.get(method);
  if (answer === undefined) {
    answer = getOption(method, internal);
    known.set(method, answer);
  }
  return answer;
}
