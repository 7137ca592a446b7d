import { ConfigReader } from '@backstage/config';
import { readIstiodSettings } from './istiodConfig';

it('reads serviceMesh.istiod with defaults and rejects bad numbers', () => {
  expect(readIstiodSettings(new ConfigReader({}))).toEqual({
    enabled: true,
    transport: 'portForward',
    staleProxyMinutes: 5,
    proxySyncIntervalSeconds: 900,
  });
  expect(
    readIstiodSettings(
      new ConfigReader({
        serviceMesh: {
          istiod: {
            enabled: false,
            transport: 'podProxy',
            timeoutSeconds: 3,
            staleProxyMinutes: 10,
            proxySyncIntervalSeconds: 0,
          },
        },
      }),
    ),
  ).toEqual({
    enabled: false,
    transport: 'podProxy',
    timeoutSeconds: 3,
    staleProxyMinutes: 10,
    proxySyncIntervalSeconds: 0,
  });
  expect(() =>
    readIstiodSettings(
      new ConfigReader({ serviceMesh: { istiod: { transport: 'exec' } } }),
    ),
  ).toThrow(/transport must be one of portForward, podProxy, got "exec"/);
  expect(() =>
    readIstiodSettings(
      new ConfigReader({ serviceMesh: { istiod: { staleProxyMinutes: 0 } } }),
    ),
  ).toThrow(/staleProxyMinutes must be a positive number/);
  expect(() =>
    readIstiodSettings(
      new ConfigReader({
        serviceMesh: { istiod: { proxySyncIntervalSeconds: -1 } },
      }),
    ),
  ).toThrow(
    /proxySyncIntervalSeconds must be 0 \(every refresh\) or a positive/,
  );
});
