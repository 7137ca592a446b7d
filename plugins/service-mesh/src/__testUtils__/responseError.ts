import { ResponseError } from '@backstage/errors';

/** A ResponseError as the client throws it for a backend error body. */
export function responseError(
  status: number,
  name: string,
  message: string,
  url = '/api/service-mesh/overview',
): Promise<ResponseError> {
  const body = {
    error: { name, message },
    request: { method: 'GET', url },
    response: { statusCode: status },
  };
  return ResponseError.fromResponse(
    new Response(JSON.stringify(body), {
      status,
      statusText: name,
      headers: { 'content-type': 'application/json' },
    }),
  );
}
