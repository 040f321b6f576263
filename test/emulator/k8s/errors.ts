/** metav1.Status failures, worded like the real API server (k8s.io/apimachinery/pkg/api/errors). */
import type { Obj } from "./json.ts";

export type StatusReason =
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Invalid"
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "MethodNotAllowed"
  | "NotAcceptable"
  | "UnsupportedMediaType"
  | "InternalError"
  | "Timeout"
  | "TooManyRequests"
  | "ServiceUnavailable";

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: { reason?: string; message?: string; field?: string }[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details: StatusDetails = {},
  ) {
    super(message);
  }

  toStatus(): Obj {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      details: this.details,
      code: this.code,
    };
  }
}

/** What the server calls a resource in messages: `configmaps`, `daemonsets.apps`. */
export interface ResourceRef {
  group: string;
  plural: string;
}

function qualified(r: ResourceRef): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

function groupDetail(group: string): { group?: string } {
  return group ? { group } : {};
}

export function notFound(r: ResourceRef, name: string): ApiError {
  return new ApiError(404, "NotFound", `${qualified(r)} "${name}" not found`, {
    name,
    ...groupDetail(r.group),
    kind: r.plural,
  });
}

export function pathNotFound(): ApiError {
  return new ApiError(404, "NotFound", "the server could not find the requested resource", {});
}

export function alreadyExists(r: ResourceRef, name: string): ApiError {
  return new ApiError(409, "AlreadyExists", `${qualified(r)} "${name}" already exists`, {
    name,
    ...groupDetail(r.group),
    kind: r.plural,
  });
}

export function staleConflict(r: ResourceRef, name: string): ApiError {
  return new ApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualified(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, ...groupDetail(r.group), kind: r.plural },
  );
}

/** A field.Error as a StatusCause: its type (staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go
 * ErrorType, e.g. ErrorTypeDuplicate "FieldValueDuplicate") and ErrorBody. */
export interface FieldCause {
  type:
    | "FieldValueInvalid"
    | "FieldValueRequired"
    | "FieldValueForbidden"
    | "FieldValueNotSupported"
    | "FieldValueDuplicate";
  field: string;
  /** e.g. `Invalid value: "x": must be ...` or `Required value: ...` */
  message: string;
}

/**
 * 422 Invalid: `ConfigMap "x" is invalid: metadata.name: Invalid value: ...`
 * (staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go NewInvalid: every error is a cause; the message
 * prints errs.ToAggregate(), which drops repeated messages, field/errors.go ErrorList.ToAggregate).
 */
export function invalid(kind: string, group: string, name: string, causes: FieldCause[]): ApiError {
  const gk = group ? `${kind}.${group}` : kind;
  const text = [...new Set(causes.map((c) => `${c.field}: ${c.message}`))];
  const joined = text.length === 1 ? text[0] : `[${text.join(", ")}]`;
  return new ApiError(422, "Invalid", `${gk} "${name}" is invalid: ${joined}`, {
    name,
    ...groupDetail(group),
    kind,
    causes: causes.map((c) => ({ reason: c.type, message: c.message, field: c.field })),
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, "BadRequest", message, {});
}

export function unauthorized(): ApiError {
  return new ApiError(401, "Unauthorized", "Unauthorized", {});
}

export function methodNotAllowed(): ApiError {
  return new ApiError(
    405,
    "MethodNotAllowed",
    "the server does not allow this method on the requested resource",
    {},
  );
}

export function unsupportedMediaType(contentType: string): ApiError {
  return new ApiError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${contentType})`,
    {},
  );
}

/** Status for a 5xx/429 code, as injected by faults. */
export function forCode(code: number, message?: string): ApiError {
  switch (code) {
    case 429:
      return new ApiError(429, "TooManyRequests", message ?? "Too many requests, please try again later.", {
        retryAfterSeconds: 1,
      });
    case 503:
      return new ApiError(
        503,
        "ServiceUnavailable",
        message ?? "the server is currently unable to handle the request",
        {},
      );
    case 504:
      return new ApiError(
        504,
        "Timeout",
        message ?? "Timeout: request did not complete within the allotted timeout",
        {},
      );
    default:
      return new ApiError(code, "InternalError", message ?? "Internal error occurred: injected fault", {});
  }
}
