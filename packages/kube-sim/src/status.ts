// Kubernetes `Status` errors with the codes, reasons and messages that client libraries and kubectl parse.

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: StatusDetails;

  constructor(
    code: number,
    reason: string,
    message: string,
    details?: StatusDetails,
  ) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): object {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** `pods`, `deployments.apps`: how the API server names a resource in messages. */
export interface ResourceRef {
  group: string;
  plural: string;
}

const qualified = (r: ResourceRef) =>
  r.group ? `${r.plural}.${r.group}` : r.plural;

export const errors = {
  notFound: (r: ResourceRef, name: string) =>
    new ApiError(404, 'NotFound', `${qualified(r)} "${name}" not found`, {
      name,
      group: r.group || undefined,
      kind: r.plural,
    }),
  pathNotFound: () =>
    new ApiError(
      404,
      'NotFound',
      'the server could not find the requested resource',
      {},
    ),
  alreadyExists: (r: ResourceRef, name: string) =>
    new ApiError(
      409,
      'AlreadyExists',
      `${qualified(r)} "${name}" already exists`,
      {
        name,
        group: r.group || undefined,
        kind: r.plural,
      },
    ),
  conflict: (r: ResourceRef, name: string, why: string) =>
    new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`,
      {
        name,
        group: r.group || undefined,
        kind: r.plural,
      },
    ),
  staleResourceVersion: (r: ResourceRef, name: string) =>
    errors.conflict(
      r,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    ),
  invalid: (kind: string, group: string, name: string, causes: StatusCause[]) =>
    new ApiError(
      422,
      'Invalid',
      `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${causes
        .map(c => (c.field ? `${c.field}: ${c.message}` : c.message))
        .join(', ')}`,
      { name, group: group || undefined, kind, causes },
    ),
  badRequest: (message: string) => new ApiError(400, 'BadRequest', message),
  methodNotAllowed: (
    message = 'the server does not allow this method on the requested resource',
  ) => new ApiError(405, 'MethodNotAllowed', message, {}),
  unsupportedMediaType: (contentType: string, accepted: string[]) =>
    new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(
        ', ',
      )}`,
      {
        causes: [{ reason: 'UnexpectedServerResponse', message: contentType }],
      },
    ),
  notAcceptable: () =>
    new ApiError(
      406,
      'NotAcceptable',
      'only the following media types are accepted: application/json',
    ),
  unauthorized: () => new ApiError(401, 'Unauthorized', 'Unauthorized'),
  forbidden: (
    r: ResourceRef,
    verb: string,
    user: string,
    namespace?: string,
    name?: string,
  ) =>
    new ApiError(
      403,
      'Forbidden',
      `${
        name ? `${qualified(r)} "${name}"` : qualified(r)
      } is forbidden: User "${user}" cannot ${verb} resource "${
        r.plural
      }" in API group "${r.group}" ${
        namespace ? `in the namespace "${namespace}"` : 'at the cluster scope'
      }`,
      { name, group: r.group || undefined, kind: r.plural },
    ),
  internal: (message: string) =>
    new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, {
      causes: [{ reason: 'UnexpectedServerResponse', message }],
    }),
  gone: (message: string) => new ApiError(410, 'Expired', message),
};
