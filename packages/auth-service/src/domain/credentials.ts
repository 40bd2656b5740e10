import { type FieldError, invalidInput } from "@instagram/kit";
import { isCommonPassword } from "./common-passwords.ts";

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 30;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const EMAIL_MAX = 254;

const usernamePattern = /^[a-z0-9._]+$/;
// Deliberately loose: one @, no spaces, a dot in the domain. Deliverability is not ours to judge.
const emailPattern = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Characters as people count them (code points), not UTF-16 units. */
function lengthOf(text: string): number {
  return [...text].length;
}

/** Usernames are case-insensitive: stored and compared lower-case. */
export function normaliseUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function usernameProblem(username: string): string | undefined {
  const length = lengthOf(username);
  if (length < USERNAME_MIN || length > USERNAME_MAX) {
    return `must be ${USERNAME_MIN} to ${USERNAME_MAX} characters`;
  }
  if (!usernamePattern.test(username)) return "may contain only letters, digits, '.' and '_'";
  return undefined;
}

export function emailProblem(email: string): string | undefined {
  if (email.length === 0) return "is required";
  if (email.length > EMAIL_MAX) return `must be at most ${EMAIL_MAX} characters`;
  if (!emailPattern.test(email)) return "is not a valid email address";
  return undefined;
}

export function passwordProblem(password: string): string | undefined {
  const length = lengthOf(password);
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
    return `must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`;
  }
  if (isCommonPassword(password)) return "is too common (on lists of leaked credentials); choose another";
  return undefined;
}

function collect(checks: [path: string, problem: string | undefined][]): FieldError[] {
  return checks.flatMap(([path, message]) => (message === undefined ? [] : [{ path, message }]));
}

export interface NewAccount {
  username: string;
  email: string;
  password: string;
}

/** Normalises a sign-up and checks every field; throws invalid-input listing all problems. */
export function parseSignUp(input: NewAccount): NewAccount {
  const username = normaliseUsername(input.username);
  const email = normaliseEmail(input.email);
  const problems = collect([
    ["username", usernameProblem(username)],
    ["email", emailProblem(email)],
    ["password", passwordProblem(input.password)],
  ]);
  if (problems.length > 0) throw invalidInput(problems);
  return { username, email, password: input.password };
}

export type LoginIdentifier = { by: "username"; username: string } | { by: "email"; email: string };

export interface LoginAttempt {
  identifier: LoginIdentifier;
  /** The normalised identifier, the key failed attempts are counted under. */
  key: string;
  password: string;
}

/** The login name may be a username or an email address (anything with an @). */
export function parseLogin(input: { username: string; password: string }): LoginAttempt {
  const key = input.username.trim().toLowerCase();
  const problems = collect([
    ["username", key.length === 0 ? "is required" : key.length > EMAIL_MAX ? "is too long" : undefined],
    [
      "password",
      input.password.length === 0
        ? "is required"
        : lengthOf(input.password) > PASSWORD_MAX
          ? `must be at most ${PASSWORD_MAX} characters`
          : undefined,
    ],
  ]);
  if (problems.length > 0) throw invalidInput(problems);
  const identifier: LoginIdentifier = key.includes("@")
    ? { by: "email", email: key }
    : { by: "username", username: key };
  return { identifier, key, password: input.password };
}

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

export function parsePasswordChange(input: PasswordChange): PasswordChange {
  const problems = collect([
    ["currentPassword", input.currentPassword.length === 0 ? "is required" : undefined],
    ["newPassword", passwordProblem(input.newPassword)],
  ]);
  if (problems.length > 0) throw invalidInput(problems);
  return input;
}

/** A value that must be present but is judged elsewhere (a confirming password, a refresh token). */
export function requireValue(path: string, value: string): string {
  if (value.length === 0) throw invalidInput([{ path, message: "is required" }]);
  return value;
}
