import type { PatchError } from './patch.ts';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch.ts';

describe('mergePatch (RFC 7386)', () => {
  it('merges maps, deletes with null and replaces lists', () => {
    expect(
      mergePatch(
        { a: { b: 1, c: 2 }, l: [1, 2], k: 1 },
        { a: { b: null, d: 3 }, l: [3], k: null },
      ),
    ).toEqual({ a: { c: 2, d: 3 }, l: [3] });
  });
});

describe('strategicMergePatch', () => {
  const pod = {
    metadata: { labels: { app: 'a', keep: 'x' }, finalizers: ['f1'] },
    spec: {
      containers: [
        { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }] },
        { name: 'istio-proxy', image: 'proxy:1' },
      ],
      tolerations: [{ key: 'a' }],
    },
  };

  it('merges labels and lists with merge keys, and replaces other lists', () => {
    const patched = strategicMergePatch(pod, {
      metadata: { labels: { app: 'b', keep: null }, finalizers: ['f2'] },
      spec: {
        containers: [{ name: 'app', env: [{ name: 'B', value: '2' }] }],
        tolerations: [{ key: 'b' }],
      },
    });
    expect(patched).toEqual({
      metadata: { labels: { app: 'b' }, finalizers: ['f1', 'f2'] },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'app:1',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          },
          { name: 'istio-proxy', image: 'proxy:1' },
        ],
        tolerations: [{ key: 'b' }],
      },
    });
  });

  it('honours $patch delete/replace, $retainKeys, $deleteFromPrimitiveList and ignores $setElementOrder', () => {
    expect(
      strategicMergePatch(pod, {
        spec: { containers: [{ name: 'istio-proxy', $patch: 'delete' }] },
      }),
    ).toMatchObject({
      spec: { containers: [{ name: 'app' }] },
    });
    expect(
      strategicMergePatch(pod, {
        metadata: { labels: { $patch: 'replace', only: 'this' } },
      }),
    ).toMatchObject({ metadata: { labels: { only: 'this' } } });
    expect(
      strategicMergePatch(pod, {
        metadata: { $retainKeys: ['labels'], labels: { z: '1' } },
      }),
    ).toEqual({
      metadata: { labels: { app: 'a', keep: 'x', z: '1' } },
      spec: pod.spec,
    });
    expect(
      strategicMergePatch(pod, {
        metadata: { '$deleteFromPrimitiveList/finalizers': ['f1'] },
      }),
    ).toMatchObject({ metadata: { finalizers: [] } });
    expect(
      strategicMergePatch(pod, {
        metadata: { '$setElementOrder/finalizers': ['f1'], labels: { n: '1' } },
      }),
    ).toMatchObject({
      metadata: { labels: { app: 'a', keep: 'x', n: '1' }, finalizers: ['f1'] },
    });
  });
});

describe('jsonPatch (RFC 6902)', () => {
  const doc = { metadata: { labels: { a: '1' } }, list: [1, 2, 3] };

  it('applies add, remove, replace, move, copy and test', () => {
    expect(
      jsonPatch(doc, [
        { op: 'test', path: '/metadata/labels/a', value: '1' },
        { op: 'add', path: '/metadata/labels/b~1c', value: '2' },
        { op: 'replace', path: '/metadata/labels/a', value: '9' },
        { op: 'add', path: '/list/-', value: 4 },
        { op: 'add', path: '/list/0', value: 0 },
        { op: 'remove', path: '/list/1' },
        { op: 'copy', from: '/metadata/labels/a', path: '/copied' },
        { op: 'move', from: '/copied', path: '/moved' },
      ]),
    ).toEqual({
      metadata: { labels: { a: '9', 'b/c': '2' } },
      list: [0, 2, 3, 4],
      moved: '9',
    });
    expect(doc).toEqual({ metadata: { labels: { a: '1' } }, list: [1, 2, 3] });
  });

  it('fails with 422 when a test fails or a path is missing, 400 when the patch is not a list', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as PatchError).code;
      }
      return undefined;
    };
    expect(
      code(() =>
        jsonPatch(doc, [
          { op: 'test', path: '/metadata/labels/a', value: '2' },
        ]),
      ),
    ).toBe(422);
    expect(
      code(() =>
        jsonPatch(doc, [{ op: 'replace', path: '/metadata/nope', value: 1 }]),
      ),
    ).toBe(422);
    expect(code(() => jsonPatch(doc, [{ op: 'remove', path: '/x/y' }]))).toBe(
      422,
    );
    expect(code(() => jsonPatch(doc, { op: 'add' }))).toBe(400);
  });
});
