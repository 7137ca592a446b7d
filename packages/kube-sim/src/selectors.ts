// Label selectors (=, ==, !=, in, notin, exists, !exists, gt, lt) and field selectors (=, ==, !=), parsed as the
// API server parses the `labelSelector`/`fieldSelector` query parameters.
import { errors } from './status.ts';

type LabelRequirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string }
  | { op: 'gt' | 'lt'; key: string; value: number };

export type LabelSelector = (labels: Record<string, string>) => boolean;

/** Splits on commas that are not inside parentheses (`a in (x,y),b`). */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(selector.slice(start));
  return parts.map(p => p.trim()).filter(p => p.length > 0);
}

const KEY = String.raw`[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const VALUE = String.raw`([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const keyRe = new RegExp(`^${KEY}$`);
const valueRe = new RegExp(`^${VALUE}$`);

function parseRequirement(text: string): LabelRequirement {
  const bad = (why: string) =>
    errors.badRequest(`unable to parse requirement: ${why}: "${text}"`);
  let m = /^!\s*(\S+)$/.exec(text);
  if (m) {
    if (!keyRe.test(m[1])) throw bad('invalid label key');
    return { op: 'notexists', key: m[1] };
  }
  m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(text);
  if (m) {
    if (!keyRe.test(m[1])) throw bad('invalid label key');
    const values = m[3].split(',').map(v => v.trim());
    if (values.some(v => !valueRe.test(v))) throw bad('invalid label value');
    if (values.every(v => v === ''))
      throw bad("for 'in', 'notin' operators, values set can't be empty");
    return { op: m[2] === 'in' ? 'in' : 'notin', key: m[1], values };
  }
  m = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(text);
  if (m) {
    const [, key, op, rawValue] = m;
    const value = rawValue.trim();
    if (!keyRe.test(key)) throw bad('invalid label key');
    if (op === '>' || op === '<') {
      if (!/^-?\d+$/.test(value))
        throw bad('for gt and lt operators the value must be an integer');
      return { op: op === '>' ? 'gt' : 'lt', key, value: Number(value) };
    }
    if (!valueRe.test(value)) throw bad('invalid label value');
    return { op: op === '!=' ? 'neq' : 'eq', key, value };
  }
  if (keyRe.test(text)) return { op: 'exists', key: text };
  throw bad('found unexpected token');
}

function matches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case 'eq':
      return has && v === r.value;
    case 'neq':
      return !has || v !== r.value;
    case 'in':
      return has && r.values.includes(v);
    case 'notin':
      return !has || !r.values.includes(v);
    case 'exists':
      return has;
    case 'notexists':
      return !has;
    case 'gt':
      return has && /^-?\d+$/.test(v) && Number(v) > r.value;
    case 'lt':
      return has && /^-?\d+$/.test(v) && Number(v) < r.value;
    default:
      return false;
  }
}

/** Parses a label selector; an empty or missing selector matches everything. Throws 400 on syntax errors. */
export function parseLabelSelector(
  selector: string | undefined,
): LabelSelector | undefined {
  if (!selector || !selector.trim()) return undefined;
  const requirements = splitTopLevel(selector).map(parseRequirement);
  return labels => requirements.every(r => matches(r, labels));
}

export interface FieldRequirement {
  field: string;
  value: string;
  negate: boolean;
}

/** Parses `a=b,c!=d`; backslash escapes `\,` and `\=` as the API server allows. */
export function parseFieldSelector(
  selector: string | undefined,
): FieldRequirement[] {
  if (!selector || !selector.trim()) return [];
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '\\' && i + 1 < selector.length) {
      current += c + selector[++i];
    } else if (c === ',') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts
    .map(p => p.trim())
    .filter(Boolean)
    .map(p => {
      const m = /^([^=!]+?)\s*(!=|==|=)\s*(.*)$/.exec(p);
      if (!m)
        throw errors.badRequest(
          `invalid selector: '${selector}'; can't understand '${p}'`,
        );
      return {
        field: m[1].trim(),
        value: m[3].replace(/\\(.)/g, '$1'),
        negate: m[2] === '!=',
      };
    });
}

export function fieldsMatch(
  requirements: FieldRequirement[],
  fields: Record<string, string>,
): boolean {
  return requirements.every(r => (fields[r.field] === r.value) !== r.negate);
}
