import { ApiException } from '@kubernetes/client-node';
import { KubeRequestError } from './KubeRequestError';

describe('KubeRequestError.from', () => {
  it('keeps the status message of an API error and drops the response headers', () => {
    const body = JSON.stringify({
      kind: 'Status',
      reason: 'Conflict',
      message: 'the object has been modified',
    });
    const error = KubeRequestError.from(
      'patch labels of namespace shop',
      new ApiException(409, 'Unknown API Status Code!', body, {
        'set-cookie': 'secret',
      }),
    );
    expect(error).toMatchObject({
      message:
        'patch labels of namespace shop: 409 the object has been modified',
      statusCode: 409,
      reason: 'Conflict',
    });
    expect(error.message).not.toContain('secret');
  });

  it('explains a 401 without a body, and network and timeout failures', () => {
    expect(
      KubeRequestError.from(
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
      {
        code: 'ECONNREFUSED',
      },
    );
    expect(KubeRequestError.from('read namespace x', refused)).toMatchObject({
      message:
        'read namespace x: request to http://127.0.0.1:1/api failed, reason: connect ECONNREFUSED',
      statusCode: undefined,
    });
    const aborted = Object.assign(new Error('The operation was aborted.'), {
      name: 'AbortError',
      type: 'aborted',
    });
    expect(KubeRequestError.from('read namespace x', aborted).message).toBe(
      'read namespace x: no answer in time (timed out)',
    );
  });
});
