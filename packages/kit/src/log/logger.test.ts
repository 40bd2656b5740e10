import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../config/parse-env.ts";
import { logFormatOf } from "./logger.ts";

describe("logFormatOf", () => {
  it("is pretty on a terminal and JSON elsewhere", () => {
    expect(logFormatOf({}, true)).toBe("pretty");
    expect(logFormatOf({}, false)).toBe("json");
    expect(logFormatOf({ LOG_FORMAT: "" }, false)).toBe("json");
  });

  it("follows LOG_FORMAT over the terminal", () => {
    expect(logFormatOf({ LOG_FORMAT: "json" }, true)).toBe("json");
    expect(logFormatOf({ LOG_FORMAT: "pretty" }, false)).toBe("pretty");
  });

  it("refuses an unknown LOG_FORMAT", () => {
    expect(() => logFormatOf({ LOG_FORMAT: "yaml" }, true)).toThrow(ConfigError);
  });
});

// A child process each (tsx compiles the kit first): seconds on a busy machine.
const spawnTimeoutMs = 60_000;

describe("createLogger's output", () => {
  const kitRoot = fileURLToPath(new URL("../..", import.meta.url));
  const logOnce = async (format: string): Promise<string> => {
    const script = `const { createLogger } = await import("@instagram/kit");
      createLogger({ service: "gateway" }).info({ port: 8080 }, "service started");`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--conditions=@instagram/source", "--import", "tsx", "--input-type=module", "-e", script],
      { cwd: kitRoot, env: { ...process.env, LOG_FORMAT: format, NO_COLOR: "1", FORCE_COLOR: "" } },
    );
    return stdout.trim();
  };

  it(
    "writes one JSON object per line with LOG_FORMAT=json",
    async () => {
      const line = JSON.parse(await logOnce("json"));
      expect(line).toMatchObject({ level: "info", service: "gateway", port: 8080, msg: "service started" });
    },
    spawnTimeoutMs,
  );

  it(
    "writes one readable line with LOG_FORMAT=pretty",
    async () => {
      const line = await logOnce("pretty");
      expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[gateway\] service started \{"port":8080\}$/);
    },
    spawnTimeoutMs,
  );
});
