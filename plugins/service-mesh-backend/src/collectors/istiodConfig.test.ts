import { ConfigReader } from '@backstage/config';
import { readIstiodSettings } from './istiodConfig';

it('reads serviceMesh.istiod with defaults and rejects bad numbers', () => {
  expect(readIstiodSettings(new ConfigReader({}))).toEqual({
    enabled: true,
    staleProxyMinutes: 5,
  });
  expect(
    readIstiodSettings(
      new ConfigReader({
        serviceMesh: {
          istiod: { enabled: false, timeoutSeconds: 3, staleProxyMinutes: 10 },
        },
      }),
    ),
  ).toEqual({ enabled: false, timeoutSeconds: 3, staleProxyMinutes: 10 });
  expect(() =>
    readIstiodSettings(
      new ConfigReader({ serviceMesh: { istiod: { staleProxyMinutes: 0 } } }),
    ),
  ).toThrow(/staleProxyMinutes must be a positive number/);
});
