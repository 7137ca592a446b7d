import { inAppFindingMarkdown } from './findingDocsMarkdown';

const codePage = (code: string) => `/service-mesh/findings/${code}`;

describe('inAppFindingMarkdown', () => {
  const text =
    'See [MESH011](docs/findings/MESH011.md) and [live traffic](docs/live-traffic.md); [Istio](https://istio.io/latest/docs/) stays.';

  it('links other codes to their page in the app and names other repository docs as a path', () => {
    expect(inAppFindingMarkdown(text, { codePage })).toBe(
      "See [MESH011](/service-mesh/findings/MESH011) and live traffic (`docs/live-traffic.md` in the plugin's repository); [Istio](https://istio.io/latest/docs/) stays.",
    );
  });

  it('links repository docs to the published docs when their base URL is configured', () => {
    expect(
      inAppFindingMarkdown(text, {
        codePage,
        publishedBase: 'https://docs.example.com/mesh',
      }),
    ).toBe(
      'See [MESH011](/service-mesh/findings/MESH011) and [live traffic](https://docs.example.com/mesh/docs/live-traffic.md); [Istio](https://istio.io/latest/docs/) stays.',
    );
  });

  it('without an in-app page, a code link goes to the published docs too', () => {
    expect(
      inAppFindingMarkdown('[MESH011](docs/findings/MESH011.md)', {
        codePage: () => undefined,
        publishedBase: 'https://docs.example.com/mesh/',
      }),
    ).toBe('[MESH011](https://docs.example.com/mesh/docs/findings/MESH011.md)');
  });
});
