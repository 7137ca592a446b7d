/*
 * Kubernetes label selectors (`backstage.io/kubernetes-label-selector`), evaluated against snapshot objects the
 * way the API server would: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, comma-separated.
 */

export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

export class LabelSelectorError extends Error {}

export function parseLabelSelector(selector: string): Requirement[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0)
      throw new LabelSelectorError(`unbalanced parentheses in '${selector}'`);
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (depth !== 0)
    throw new LabelSelectorError(`unbalanced parentheses in '${selector}'`);
  parts.push(current);

  return parts
    .map(p => p.trim())
    .filter(p => p !== '')
    .map(part => {
      let m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(part);
      if (m)
        return {
          key: m[1],
          op: m[2] === '!=' ? 'notin' : 'in',
          values: [m[3]],
        } as Requirement;
      m = /^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
      if (m) {
        const values = m[3].split(',').map(v => v.trim());
        return { key: m[1], op: m[2] as 'in' | 'notin', values } as Requirement;
      }
      m = /^(!?)\s*([\w./-]+)$/.exec(part);
      if (m)
        return { key: m[2], op: m[1] ? '!exists' : 'exists' } as Requirement;
      throw new LabelSelectorError(`cannot parse '${part}'`);
    });
}

export function matchesSelector(
  requirements: Requirement[],
  labels: Record<string, string>,
): boolean {
  return requirements.every(r => {
    const value = labels[r.key];
    switch (r.op) {
      case 'exists':
        return value !== undefined;
      case '!exists':
        return value === undefined;
      case 'in':
        return value !== undefined && r.values.includes(value);
      case 'notin':
        return value === undefined || !r.values.includes(value);
      default:
        return false;
    }
  });
}

/** An equality requirement (`key=value`) to look candidates up in the label index, if the selector has one. */
export function indexableRequirement(
  requirements: Requirement[],
): { key: string; value: string } | undefined {
  for (const r of requirements) {
    if (r.op === 'in' && r.values.length === 1)
      return { key: r.key, value: r.values[0] };
  }
  return undefined;
}
