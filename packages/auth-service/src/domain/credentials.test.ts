import { isDomainError } from "@instagram/kit";
import { describe, expect, it } from "vitest";
import { parseLogin, parsePasswordChange, parseSignUp, requireValue } from "./credentials.ts";

function problemsOf(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (isDomainError(error, "invalid-input")) return [...error.fieldErrors];
    throw error;
  }
  throw new Error("expected an invalid-input refusal");
}

const valid = { username: "alice_01", email: "alice@example.com", password: "correct horse" };

describe("parseSignUp", () => {
  it("stores usernames and emails lower-case and trimmed, the password untouched", () => {
    expect(
      parseSignUp({ username: " Alice.B ", email: " Alice@Example.COM ", password: " Pass word " }),
    ).toEqual({
      username: "alice.b",
      email: "alice@example.com",
      password: " Pass word ",
    });
  });

  it.each([
    ["ab", "must be 3 to 30 characters"],
    ["a".repeat(31), "must be 3 to 30 characters"],
    ["al ice", "may contain only letters, digits, '.' and '_'"],
    ["alice-b", "may contain only letters, digits, '.' and '_'"],
    ["ålice", "may contain only letters, digits, '.' and '_'"],
  ])("refuses the username %j", (username, message) => {
    expect(problemsOf(() => parseSignUp({ ...valid, username }))).toEqual([{ path: "username", message }]);
  });

  it("accepts usernames of exactly 3 and 30 characters", () => {
    expect(parseSignUp({ ...valid, username: "a.b" }).username).toBe("a.b");
    expect(parseSignUp({ ...valid, username: "x".repeat(30) }).username).toHaveLength(30);
  });

  it.each(["", "alice", "alice@", "@example.com", "alice@example", "a b@example.com", "a@b@example.com"])(
    "refuses the email %j",
    (email) => {
      expect(problemsOf(() => parseSignUp({ ...valid, email })).map((p) => p.path)).toEqual(["email"]);
    },
  );

  it("counts password length in characters, 8 to 128", () => {
    expect(parseSignUp({ ...valid, password: "😀".repeat(8) }).password).toBe("😀".repeat(8));
    expect(parseSignUp({ ...valid, password: "x".repeat(128) }).password).toHaveLength(128);
    expect(problemsOf(() => parseSignUp({ ...valid, password: "1234567" }))).toEqual([
      { path: "password", message: "must be 8 to 128 characters" },
    ]);
    expect(problemsOf(() => parseSignUp({ ...valid, password: "x".repeat(129) })).map((p) => p.path)).toEqual(
      ["password"],
    );
  });

  it("reports every bad field at once", () => {
    expect(
      problemsOf(() => parseSignUp({ username: "A", email: "nope", password: "short" })).map((p) => p.path),
    ).toEqual(["username", "email", "password"]);
  });
});

describe("parseLogin", () => {
  it("treats a name with @ as an email and normalises the key", () => {
    expect(parseLogin({ username: " Alice@Example.com", password: "pw" })).toEqual({
      identifier: { by: "email", email: "alice@example.com" },
      key: "alice@example.com",
      password: "pw",
    });
    expect(parseLogin({ username: "ALICE", password: "pw" }).identifier).toEqual({
      by: "username",
      username: "alice",
    });
  });

  it("needs both fields", () => {
    expect(problemsOf(() => parseLogin({ username: "  ", password: "" })).map((p) => p.path)).toEqual([
      "username",
      "password",
    ]);
  });
});

describe("parsePasswordChange", () => {
  it("checks the new password by the rules and only the presence of the current one", () => {
    expect(parsePasswordChange({ currentPassword: "x", newPassword: "long enough" })).toEqual({
      currentPassword: "x",
      newPassword: "long enough",
    });
    expect(problemsOf(() => parsePasswordChange({ currentPassword: "", newPassword: "short" }))).toEqual([
      { path: "currentPassword", message: "is required" },
      { path: "newPassword", message: "must be 8 to 128 characters" },
    ]);
  });
});

describe("requireValue", () => {
  it("refuses an empty value under its path", () => {
    expect(requireValue("password", "x")).toBe("x");
    expect(problemsOf(() => requireValue("password", ""))).toEqual([
      { path: "password", message: "is required" },
    ]);
  });
});

describe("common passwords (NIST 800-63B)", () => {
  it.each(["password", "Password1", "12345678", "QWERTYUIOP", "iloveyou", "trustno1"])(
    "refuses %s at sign-up and as a new password, naming the field, never echoing it",
    (password) => {
      const signUp = problemsOf(() => parseSignUp({ ...valid, password }));
      expect(signUp).toEqual([{ path: "password", message: expect.stringMatching(/too common/) }]);
      const change = problemsOf(() =>
        parsePasswordChange({ currentPassword: "anything", newPassword: password }),
      );
      expect(change).toEqual([{ path: "newPassword", message: expect.stringMatching(/too common/) }]);
      for (const { message } of [...signUp, ...change])
        expect(message.toLowerCase()).not.toContain(password.toLowerCase());
    },
  );

  it("accepts an uncommon one", () => {
    expect(parseSignUp({ ...valid, password: "violet kettle 42 drums" }).password).toBe(
      "violet kettle 42 drums",
    );
  });
});
