import type { z } from "zod";

export type Environment = Record<string, string | undefined>;

/** A configuration problem found at start; its message names every bad variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.problems = problems;
  }
}

/**
 * Reads the variables of `schema` from `env`. Empty strings count as unset, so `FOO=` falls back to
 * the default instead of failing a format check.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Environment): z.infer<S> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== "") input[key] = value;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.length > 0 ? issue.path.join(".") : "(environment)";
    const got = typeof issue.path[0] === "string" ? input[issue.path[0]] : undefined;
    const shown = got === undefined ? "unset" : `got ${shownValue(variable, got)}`;
    return `${variable}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(problems);
}

/** Config errors end up in logs: never echo secrets. */
function shownValue(variable: string, value: string): string {
  if (/SECRET|PASSWORD|TOKEN|KEY(?!_FILE)/i.test(variable)) return "a value (hidden)";
  return JSON.stringify(value.replace(/(\/\/[^/:@]*:)[^@/]*@/, "$1***@"));
}
