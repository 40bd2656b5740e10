import { dictionary } from "@zxcvbn-ts/language-common";

// NIST 800-63B 3.1.1.2: refuse passwords found in lists of commonly used or breached ones. The
// list is zxcvbn-ts's (about 49,000 from leaked-password corpora), built on first use. Compared
// case-insensitively: "Password123" is as guessable as "password123".
let common: Set<string> | undefined;

export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary["passwords-common"].map((entry) => entry.toLowerCase()));
  return common.has(password.toLowerCase());
}
