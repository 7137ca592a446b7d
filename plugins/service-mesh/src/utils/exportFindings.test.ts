import type { Finding } from '@internal/plugin-service-mesh-common';
import { findingsToCsv, findingsToJson } from './exportFindings';

const finding: Finding = {
  id: 'MESH010-cluster2-cluster3',
  code: 'MESH010',
  severity: 'error',
  title: 'Missing remote secret',
  message:
    'cluster2 has no remote secret for "cluster3", so it cannot discover it',
  clusters: ['cluster2', 'cluster3'],
  resource: {
    kind: 'Secret',
    namespace: 'istio-system',
    name: 'istio-remote-secret-cluster3',
  },
  hint: 'istioctl create-remote-secret --context=cluster3 --name=cluster3 |\nkubectl apply -f - --context=cluster2',
};

/** A minimal RFC 4180 reader, to check what a spreadsheet would read back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      field += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  return rows;
}

describe('findings export', () => {
  it('writes CSV that reads back to the same fields, quotes and newlines included', () => {
    const rows = parseCsv(
      findingsToCsv([finding, { ...finding, id: 'b', resource: undefined }]),
    );
    expect(rows[0]).toEqual([
      'id',
      'severity',
      'code',
      'title',
      'message',
      'clusters',
      'resourceKind',
      'resourceNamespace',
      'resourceName',
      'hint',
    ]);
    expect(rows[1]).toEqual([
      finding.id,
      'error',
      'MESH010',
      'Missing remote secret',
      finding.message,
      'cluster2 cluster3',
      'Secret',
      'istio-system',
      'istio-remote-secret-cluster3',
      finding.hint,
    ]);
    expect(rows[2].slice(6, 9)).toEqual(['', '', '']);
    expect(rows).toHaveLength(3);
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    const rows = parseCsv(
      findingsToCsv([
        { ...finding, title: '=HYPERLINK("x")', message: '-1+2' },
      ]),
    );
    expect(rows[1][3]).toBe(`'=HYPERLINK("x")`);
    expect(rows[1][4]).toBe(`'-1+2`);
  });

  it('writes JSON with every field', () => {
    expect(JSON.parse(findingsToJson([finding]))).toEqual([finding]);
  });
});
