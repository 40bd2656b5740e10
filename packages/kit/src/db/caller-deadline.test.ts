import { openTestDatabase } from "../events/test-fixtures/database.ts";
import { describeCallerDeadline } from "./test-fixtures/caller-deadline-suite.ts";

describeCallerDeadline("work for an incoming call stops at its end (PGlite)", () => openTestDatabase());
