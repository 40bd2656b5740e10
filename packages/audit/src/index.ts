export { type AuditOptions, type AuditTarget, auditOrphans } from "./audit.ts";
export { describeFinding, type Finding } from "./finding.ts";
