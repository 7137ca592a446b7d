/**
 * Whether an error from the backend is the named Backstage error: as thrown by the API client (`name`), as a
 * ResponseError (`statusCode`), or as the serialized body the router answers with (`body.error.name`).
 */
export function isBackendError(
  error: unknown,
  name: 'NotAllowedError' | 'NotFoundError',
  statusCode: 403 | 404,
): boolean {
  const e = error as
    | {
        name?: string;
        statusCode?: number;
        body?: { error?: { name?: string } };
      }
    | undefined;
  return (
    e?.name === name ||
    e?.statusCode === statusCode ||
    e?.body?.error?.name === name
  );
}
