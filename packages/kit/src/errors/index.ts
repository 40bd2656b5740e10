export { callEnded, callEndedIn } from "./call-ended.ts";
export {
  errorBoundary,
  RETRY_AFTER_KEY,
  TRANSIENT_RETRY_AFTER_SECONDS,
  toConnectError,
} from "./connect-boundary.ts";
export {
  DomainError,
  type DomainErrorOptions,
  invalidField,
  invalidInput,
  isDomainError,
  type ProblemKind,
} from "./domain-error.ts";
export {
  FIELD_ERRORS_KEY,
  type FieldError,
  fieldErrorMetadata,
  fieldErrorsOf,
  invalidArgument,
} from "./field-errors.ts";
export { notFound } from "./not-found.ts";
export {
  HttpProblem,
  type Problem,
  problem,
  problemOfConnectError,
  problemOfError,
  problemResponse,
  problemResponseOf,
  unauthorized,
} from "./problem.ts";
export { connectCodeOfKind, httpStatusOf, httpStatusOfKind } from "./status.ts";
export { isTransientFault } from "./transient.ts";
