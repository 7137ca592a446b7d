/*
 * Failures of what a route depends on (the plugin database, the catalog, the permission backend) answer 503 with a
 * message that names the dependency, never a bare 500: a client can tell "try again later" from a bug. Client
 * errors (4xx) pass through unchanged.
 */
import { ServiceUnavailableError } from '@backstage/errors';
import type { ErrorRequestHandler } from 'express';

/** Errors that are the caller's (or already say what is unavailable): passed on as they are. */
const PASS_THROUGH = new Set([
  'InputError',
  'AuthenticationError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'NotModifiedError',
  'ServiceUnavailableError',
]);

function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; status?: unknown };
  for (const value of [e?.statusCode, e?.status]) {
    if (typeof value === 'number' && Number.isInteger(value)) return value;
  }
  return undefined;
}

function isClientError(error: unknown): boolean {
  if (PASS_THROUGH.has((error as Error)?.name)) return true;
  const status = statusOf(error);
  return status !== undefined && status >= 400 && status < 500;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs a call to a dependency; its failures become a 503 naming it. */
export async function fromDependency<T>(
  dependency: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isClientError(error)) throw error;
    throw new ServiceUnavailableError(
      `${dependency} is unavailable: ${messageOf(error)}`,
    );
  }
}

/** The database drivers' ways of saying the server is gone (pg, knex's pool, sockets). */
const DATABASE_ERROR =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|terminating connection|Timeout acquiring a connection|the database system is (shutting down|starting up)|Client has encountered a connection error|SQLITE_BUSY|database is locked/i;

/**
 * The router's last error handler: an error no route mapped becomes a 503 naming the plugin database when it
 * is one of the database's connection errors, and otherwise keeps its status with a message (Backstage's error
 * handler renders it; an unknown error there is still a 500 with a log id, as for any bug).
 */
export function dependencyErrorHandler(): ErrorRequestHandler {
  return (error, _req, _res, next) => {
    if (isClientError(error) || !DATABASE_ERROR.test(messageOf(error))) {
      next(error);
      return;
    }
    next(
      new ServiceUnavailableError(
        `The plugin database is unavailable: ${messageOf(error)}`,
      ),
    );
  };
}
