/*
 * Findings as CSV (RFC 4180: every field quoted, quotes doubled, CRLF rows) or JSON, downloaded in the browser.
 * Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) are prefixed with `'`.
 */
import type { Finding } from '@internal/plugin-service-mesh-common';

const COLUMNS: Array<[string, (f: Finding) => string]> = [
  ['id', f => f.id],
  ['severity', f => f.severity],
  ['code', f => f.code],
  ['title', f => f.title],
  ['message', f => f.message],
  ['clusters', f => f.clusters.join(' ')],
  ['resourceKind', f => f.resource?.kind ?? ''],
  ['resourceNamespace', f => f.resource?.namespace ?? ''],
  ['resourceName', f => f.resource?.name ?? ''],
  ['hint', f => f.hint],
];

function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function findingsToCsv(findings: Finding[]): string {
  const rows = [
    COLUMNS.map(([name]) => csvField(name)).join(','),
    ...findings.map(f => COLUMNS.map(([, get]) => csvField(get(f))).join(',')),
  ];
  return `${rows.join('\r\n')}\r\n`;
}

export function findingsToJson(findings: Finding[]): string {
  return `${JSON.stringify(findings, null, 2)}\n`;
}

/** Saves `text` as a file through a temporary object URL. */
export function download(filename: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
