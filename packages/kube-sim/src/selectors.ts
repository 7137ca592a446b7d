// Label selectors (=, ==, !=, in, notin, exists, !exists, gt, lt) and field selectors (=, ==, !=), parsed as the
// API server parses the `labelSelector`/`fieldSelector` query parameters. Label selectors use the project's one
// parser (a dependency-free module of the common package, a port of k8s.io/apimachinery/pkg/labels/selector.go).
import {
  LabelSelectorError,
  labelSelectorMatches,
  parseLabelSelector as parseRequirements,
} from '@internal/plugin-service-mesh-common/labelSelector';
import { errors } from './status.ts';

export type LabelSelector = (labels: Record<string, string>) => boolean;

/** Parses a label selector; an empty or missing selector matches everything. Throws 400 on syntax errors. */
export function parseLabelSelector(
  selector: string | undefined,
): LabelSelector | undefined {
  if (!selector || !selector.trim()) return undefined;
  try {
    const requirements = parseRequirements(selector);
    return labels => labelSelectorMatches(requirements, labels);
  } catch (error) {
    if (error instanceof LabelSelectorError)
      throw errors.badRequest(error.message);
    throw error;
  }
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
