// A service's src/main.ts for the runServiceMain tests: the hello module, configured from the environment.
import { commonEnvSchema } from "../../config/common-env.ts";
import { parseEnv } from "../../config/parse-env.ts";
import { runServiceMain } from "../service-entry.ts";
import { createHelloModule } from "./hello-module.ts";

runServiceMain(
  "hello",
  (source) => parseEnv(commonEnvSchema, source),
  () => createHelloModule((line) => process.stdout.write(`${line}\n`)),
  { events: false },
);
