import { lookup } from "node:dns/promises";
import type { AddressLookup } from "./static.ts";

/**
 * Node: every address of a host name, as the system resolver gives them (A and AAAA, /etc/hosts
 * included), for static discovery's expansion of a name into instances.
 */
export const dnsAddresses: AddressLookup = async (hostname) => {
  const answers = await lookup(hostname, { all: true, order: "ipv4first" });
  return [...new Set(answers.map((answer) => answer.address))];
};
