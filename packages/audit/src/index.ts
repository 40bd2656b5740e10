export { type AuditOptions, type AuditTarget, auditOrphans } from "./audit.ts";
export type { BucketTarget } from "./bucket-objects.ts";
export { describeFinding, type Finding } from "./finding.ts";
