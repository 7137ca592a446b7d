import { ApiException } from '@kubernetes/client-node';
import {
  ClusterAccessError,
  isClusterAccessError,
  isKubeApiError,
  isKubeStatus,
  KubeApiError,
} from './errors';
import { classifyClusterFailure, clusterStatusOf } from './failures';

describe('KubeApiError.from', () => {
  it('keeps the status message of an API error and drops the response headers', () => {
    const body = JSON.stringify({
      kind: 'Status',
      reason: 'Conflict',
      message: 'the object has been modified',
    });
    const error = KubeApiError.from(
      'patch labels of namespace shop',
      new ApiException(409, 'Unknown API Status Code!', body, {
        'set-cookie': 'secret',
      }),
    );
    expect(error).toMatchObject({
      name: 'KubeApiError',
      message:
        'patch labels of namespace shop: 409 the object has been modified',
      statusCode: 409,
      reason: 'Conflict',
    });
    expect(error.message).not.toContain('secret');
    expect(isKubeStatus(error, 409)).toBe(true);
    expect(isKubeStatus(error, 404)).toBe(false);
  });

  it('explains a 401 without a body, and network and timeout failures', () => {
    expect(
      KubeApiError.from(
        'read namespace x',
        new ApiException(401, 'Unauthorized', undefined, {}),
      ).message,
    ).toBe(
      'read namespace x: 401 Unauthorized: the credentials configured for this cluster were rejected',
    );
    const refused = Object.assign(
      new Error(
        'request to http://127.0.0.1:1/api failed, reason: connect ECONNREFUSED',
      ),
      { code: 'ECONNREFUSED' },
    );
    expect(KubeApiError.from('read namespace x', refused)).toMatchObject({
      message:
        'read namespace x: request to http://127.0.0.1:1/api failed, reason: connect ECONNREFUSED',
      statusCode: undefined,
      isNetworkError: true,
      details: { code: 'ECONNREFUSED' },
    });
    const aborted = Object.assign(new Error('The operation was aborted.'), {
      name: 'AbortError',
      type: 'aborted',
    });
    expect(KubeApiError.from('read namespace x', aborted).message).toBe(
      'read namespace x: no answer in time (timed out)',
    );
  });

  it('compares by name, so a copy from another package instance is recognised', () => {
    const foreign = Object.assign(new Error('GET /api: 401'), {
      name: 'KubeApiError',
      statusCode: 401,
      details: { statusCode: 401 },
    });
    expect(isKubeApiError(foreign)).toBe(true);
    expect(isKubeStatus(foreign, 401)).toBe(true);
    expect(isClusterAccessError(foreign)).toBe(false);
  });
});

describe('classifyClusterFailure', () => {
  const api = (statusCode?: number, code?: string) =>
    new KubeApiError(`GET /api/v1/pods: ${statusCode ?? code}`, {
      path: '/api/v1/pods',
      statusCode,
      code,
    });

  it.each([
    [api(401), 'unauthorized', 'MESH091', 'unauthorized'],
    [api(undefined, 'ECONNREFUSED'), 'unreachable', 'MESH090', 'unreachable'],
    [api(undefined, 'ABORT_ERR'), 'unreachable', 'MESH090', 'unreachable'],
    [api(403), 'forbidden', 'MESH092', 'error'],
    [api(500), 'error', 'MESH090', 'error'],
    [new Error('boom'), 'error', 'MESH090', 'error'],
  ])('%s → %s %s', (error, kind, code, status) => {
    const failure = classifyClusterFailure(error);
    expect(failure.kind).toBe(kind);
    expect(failure.error.code).toBe(code);
    expect(failure.error.message).toBe((error as Error).message);
    expect(clusterStatusOf(failure.kind)).toBe(status);
  });

  it('keeps the code and fix of a cluster access problem', () => {
    const failure = classifyClusterFailure(
      new ClusterAccessError({
        code: 'MESH094',
        message: "cluster 'c' uses the client-side auth provider 'oidc'",
        hint: 'Use serviceAccount.',
      }),
    );
    expect(failure).toEqual({
      kind: 'error',
      error: {
        code: 'MESH094',
        message: "cluster 'c' uses the client-side auth provider 'oidc'",
        hint: 'Use serviceAccount.',
      },
    });
  });
});
