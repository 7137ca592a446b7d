/*
 * Kubernetes label selectors, once for the whole project: the string form (`labelSelector` query parameter,
 * `backstage.io/kubernetes-label-selector`) parsed as the API server parses it, and the two map forms whose empty
 * value means opposite things (a Service selector vs an Istio workload selector).
 *
 * This file imports nothing and uses only erasable TypeScript, so packages/kube-sim (Node type stripping, no build)
 * imports it through this package's `/labelSelector` entry point, and the backend and the analysis import it as
 * ordinary source. (No at-internal in this header: `stripInternal` would drop the declaration below it.)
 *
 * The parser is a port of k8s.io/apimachinery/pkg/labels/selector.go (Lexer, Parser, NewRequirement,
 * Requirement.Matches) and keeps its answers: `x in ()` is valid (the set holds one empty value), `x>1`/`x<1` need
 * an integer, `!x=a` and `x,,y` are errors, keys and values are validated like label keys and values
 * (k8s.io/apimachinery/pkg/api/validate/content/kube.go IsLabelKey, IsLabelValue).
 */

/**
 * The operator of one requirement (selection.Operator).
 *
 * @public
 */
export type LabelSelectorOperator =
  | 'in'
  | 'notin'
  | '='
  | '=='
  | '!='
  | 'exists'
  | '!'
  | 'gt'
  | 'lt';

/** @public */
export interface LabelRequirement {
  key: string;
  operator: LabelSelectorOperator;
  /** Sorted and de-duplicated, as the API server keeps them (a `sets.String`). Empty for exists and `!`. */
  values: string[];
}

/**
 * A selector the API server would reject; the message follows its wording.
 *
 * @public
 */
export class LabelSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelSelectorError';
  }
}

type Token =
  | 'error'
  | 'end'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | 'identifier'
  | 'in'
  | '<'
  | '!='
  | 'notin'
  | '(';

/** selector.go string2token: every literal token. */
const LITERAL_TOKENS: Record<string, Token> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};

const isWhitespace = (ch: string) =>
  ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string) => '=!(),><'.includes(ch) && ch !== '';

interface ScannedItem {
  token: Token;
  literal: string;
}

/** selector.go Lexer.Lex, run to the end of the string. */
function scan(selector: string): ScannedItem[] {
  const items: ScannedItem[] = [];
  let pos = 0;
  const read = () => (pos < selector.length ? selector[pos++] : '');
  for (;;) {
    let ch = read();
    while (ch !== '' && isWhitespace(ch)) ch = read();
    if (ch === '') {
      items.push({ token: 'end', literal: '' });
      return items;
    }
    pos--;
    if (isSpecialSymbol(ch)) {
      // scanSpecialSymbol: the longest run of symbols that is still a token.
      let buffer = '';
      let last: ScannedItem | undefined;
      for (;;) {
        const c = read();
        if (c === '') break;
        if (!isSpecialSymbol(c)) {
          pos--;
          break;
        }
        buffer += c;
        const token = LITERAL_TOKENS[buffer];
        if (token) last = { token, literal: buffer };
        else if (last) {
          pos--;
          break;
        }
      }
      items.push(
        last ?? {
          token: 'error',
          literal: `error expected: keyword found '${buffer}'`,
        },
      );
    } else {
      // scanIDOrKeyword
      let buffer = '';
      for (;;) {
        const c = read();
        if (c === '') break;
        if (isSpecialSymbol(c) || isWhitespace(c)) {
          pos--;
          break;
        }
        buffer += c;
      }
      items.push({
        token: Object.prototype.hasOwnProperty.call(LITERAL_TOKENS, buffer)
          ? LITERAL_TOKENS[buffer]
          : 'identifier',
        literal: buffer,
      });
    }
  }
}

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * content.IsLabelKey: `[prefix/]name`, prefix a DNS-1123 subdomain (≤ 253), name ≤ 63 characters.
 *
 * @public
 */
export function labelKeyError(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) {
    return 'a valid label key must be a name with an optional DNS subdomain prefix and "/" (e.g. "example.com/MyName")';
  }
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix === '') return 'prefix part must be non-empty';
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
      return 'prefix part must be a lowercase RFC 1123 subdomain of at most 253 characters';
  }
  if (name === '') return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!LABEL_NAME.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

/**
 * content.IsLabelValue: empty, or ≤ 63 alphanumerics, '-', '_', '.' starting and ending alphanumeric.
 *
 * @public
 */
export function labelValueError(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!LABEL_VALUE.test(value)) {
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

const INTEGER = /^[+-]?\d+$/;

/** strconv.ParseInt(v, 10, 64) succeeds. */
function isInt64(value: string): boolean {
  if (!INTEGER.test(value)) return false;
  const n = BigInt(value);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** selector.go NewRequirement's checks. */
function requirement(
  key: string,
  operator: LabelSelectorOperator,
  values: Set<string>,
): LabelRequirement {
  const invalid = (why: string) =>
    new LabelSelectorError(`unable to parse requirement: ${why}`);
  const keyError = labelKeyError(key);
  if (keyError) throw invalid(`Invalid value: "${key}": ${keyError}`);
  const list = [...values].sort();
  if ((operator === 'in' || operator === 'notin') && list.length === 0)
    throw invalid("for 'in', 'notin' operators, values set can't be empty");
  if (
    (operator === '=' || operator === '==' || operator === '!=') &&
    list.length !== 1
  )
    throw invalid('exact-match compatibility requires one single value');
  if ((operator === 'exists' || operator === '!') && list.length !== 0)
    throw invalid('values set must be empty for exists and does not exist');
  if ((operator === 'gt' || operator === 'lt') && !list.every(isInt64)) {
    throw invalid(
      `Invalid value: "${list[0]}": for 'Gt', 'Lt' operators, the value must be an integer`,
    );
  }
  for (const v of list) {
    const valueError = labelValueError(v);
    if (valueError) throw invalid(`Invalid value: "${v}": ${valueError}`);
  }
  return { key, operator, values: list };
}

/** selector.go Parser: `in`/`notin` read as identifiers where a value is expected. */
class Parser {
  #items: ScannedItem[];
  #position = 0;

  constructor(selector: string) {
    this.#items = scan(selector);
  }

  #item(asValue: boolean, advance: boolean): ScannedItem {
    const item = this.#items[this.#position];
    if (advance) this.#position++;
    return asValue && (item.token === 'in' || item.token === 'notin')
      ? { token: 'identifier', literal: item.literal }
      : item;
  }

  #lookahead(asValue = true) {
    return this.#item(asValue, false);
  }

  #consume(asValue = true) {
    return this.#item(asValue, true);
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { token, literal } = this.#lookahead();
      if (token === 'end') return requirements;
      if (token !== 'identifier' && token !== '!') {
        throw new LabelSelectorError(
          `found '${literal}', expected: !, identifier, or 'end of string'`,
        );
      }
      requirements.push(this.#requirement());
      const next = this.#consume();
      if (next.token === 'end') return requirements;
      if (next.token !== ',') {
        throw new LabelSelectorError(
          `found '${next.literal}', expected: ',' or 'end of string'`,
        );
      }
      const after = this.#lookahead();
      if (after.token !== 'identifier' && after.token !== '!') {
        throw new LabelSelectorError(
          `found '${after.literal}', expected: identifier after ','`,
        );
      }
    }
  }

  #requirement(): LabelRequirement {
    const fail = (why: string) =>
      new LabelSelectorError(`unable to parse requirement: ${why}`);
    // parseKeyAndInferOperator
    let item = this.#consume();
    let negated = false;
    if (item.token === '!') {
      negated = true;
      item = this.#consume();
    }
    if (item.token !== 'identifier')
      throw fail(`found '${item.literal}', expected: identifier`);
    const key = item.literal;
    const keyError = labelKeyError(key);
    if (keyError) throw fail(`Invalid value: "${key}": ${keyError}`);
    const ahead = this.#lookahead().token;
    if (negated || ahead === 'end' || ahead === ',') {
      return requirement(key, negated ? '!' : 'exists', new Set());
    }
    // parseOperator
    const op = this.#consume(false);
    const operators: Partial<Record<Token, LabelSelectorOperator>> = {
      in: 'in',
      '=': '=',
      '==': '==',
      '>': 'gt',
      '<': 'lt',
      notin: 'notin',
      '!=': '!=',
    };
    const operator = operators[op.token];
    if (!operator) {
      throw fail(
        `found '${op.literal}', expected: in, notin, =, ==, !=, gt, lt`,
      );
    }
    const values =
      operator === 'in' || operator === 'notin'
        ? this.#setValues(fail)
        : this.#exactValue(fail);
    return requirement(key, operator, values);
  }

  /** parseValues + parseIdentifiersList: `(a,b)`, `()` and empty members are the empty value. */
  #setValues(fail: (why: string) => Error): Set<string> {
    const open = this.#consume();
    if (open.token !== '(') throw fail(`found '${open.literal}' expected: '('`);
    const first = this.#lookahead();
    if (first.token === ')') {
      this.#consume();
      return new Set(['']);
    }
    if (first.token !== 'identifier' && first.token !== ',') {
      throw fail(`found '${first.literal}', expected: ',', ')' or identifier`);
    }
    const values = new Set<string>();
    for (;;) {
      const item = this.#consume();
      if (item.token === 'identifier') {
        values.add(item.literal);
        const next = this.#lookahead();
        if (next.token === ',') continue;
        if (next.token === ')') break;
        throw fail(`found '${next.literal}', expected: ',' or ')'`);
      } else if (item.token === ',') {
        if (values.size === 0) values.add('');
        const next = this.#lookahead().token;
        if (next === ')') {
          values.add('');
          break;
        }
        if (next === ',') values.add('');
      } else {
        throw fail(`found '${item.literal}', expected: ',', or identifier`);
      }
    }
    const close = this.#consume();
    if (close.token !== ')')
      throw fail(`found '${first.literal}', expected: ')'`);
    return values;
  }

  /** parseExactValue: `x=` and `x=,y` compare with the empty value. */
  #exactValue(fail: (why: string) => Error): Set<string> {
    const ahead = this.#lookahead().token;
    if (ahead === 'end' || ahead === ',') return new Set(['']);
    const item = this.#consume();
    if (item.token === 'identifier') return new Set([item.literal]);
    throw fail(`found '${item.literal}', expected: identifier`);
  }
}

/**
 * The requirements of a label selector string, sorted by key like the API server's (stable sort). The empty
 * selector has none and matches everything. Throws LabelSelectorError where the API server answers 400.
 *
 * @public
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  // Array.prototype.sort is stable: requirements of one key keep their order.
  return new Parser(selector)
    .parse()
    .sort((a, b) => Number(a.key > b.key) - Number(a.key < b.key));
}

function lookup(
  labels: Record<string, string>,
  key: string,
): string | undefined {
  return Object.prototype.hasOwnProperty.call(labels, key)
    ? labels[key]
    : undefined;
}

/**
 * A LabelSelector in its map form (metav1.LabelSelector): matchLabels and matchExpressions.
 *
 * @public
 */
export interface LabelSelectorMaps {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: string;
    values?: string[];
  }>;
}

const EXPRESSION_OPERATORS: Record<string, LabelSelectorOperator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go LabelSelectorAsSelector: the requirements of a map-form selector,
 * sorted by key. No requirements means Everything (an empty selector); a selector the API server would not accept
 * (an unknown operator, an invalid key or value) throws LabelSelectorError.
 *
 * @public
 */
export function labelSelectorAsRequirements(
  selector: LabelSelectorMaps,
): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    requirements.push(requirement(key, '=', new Set([value])));
  for (const e of selector.matchExpressions ?? []) {
    const operator = Object.prototype.hasOwnProperty.call(
      EXPRESSION_OPERATORS,
      e.operator,
    )
      ? EXPRESSION_OPERATORS[e.operator]
      : undefined;
    if (!operator)
      throw new LabelSelectorError(
        `"${e.operator}" is not a valid label selector operator`,
      );
    requirements.push(requirement(e.key, operator, new Set(e.values ?? [])));
  }
  return requirements.sort(
    (a, b) => Number(a.key > b.key) - Number(a.key < b.key),
  );
}

/**
 * selector.go Requirement.Matches for every requirement.
 *
 * @public
 */
export function labelSelectorMatches(
  requirements: readonly LabelRequirement[],
  labels: Record<string, string>,
): boolean {
  return requirements.every(r => {
    const value = lookup(labels, r.key);
    switch (r.operator) {
      case 'in':
      case '=':
      case '==':
        return value !== undefined && r.values.includes(value);
      case 'notin':
      case '!=':
        return value === undefined || !r.values.includes(value);
      case 'exists':
        return value !== undefined;
      case '!':
        return value === undefined;
      case 'gt':
      case 'lt': {
        if (value === undefined || !isInt64(value) || r.values.length !== 1)
          return false;
        const have = BigInt(value);
        const want = BigInt(r.values[0]);
        return r.operator === 'gt' ? have > want : have < want;
      }
      default:
        return false;
    }
  });
}

/**
 * selector.go RequiresExactMatch: a `key=value` (or `key in (value)`) requirement, to look candidates up by label.
 *
 * @public
 */
export function exactMatchRequirement(
  requirements: readonly LabelRequirement[],
): { key: string; value: string } | undefined {
  for (const r of requirements) {
    if (
      (r.operator === 'in' || r.operator === '=' || r.operator === '==') &&
      r.values.length === 1
    ) {
      return { key: r.key, value: r.values[0] };
    }
  }
  return undefined;
}

/**
 * A Service's `spec.selector` (or any Kubernetes equality selector that picks a controller's pods): every key/value
 * is in `labels`. An empty selector selects nothing: a Service without a selector has no endpoints managed by
 * Kubernetes (pkg/controller/endpointslice skips it).
 *
 * @public
 */
export function serviceSelectorSelects(
  selector: Record<string, string>,
  labels: Record<string, string>,
): boolean {
  const entries = Object.entries(selector);
  return (
    entries.length > 0 && entries.every(([k, v]) => lookup(labels, k) === v)
  );
}

/**
 * Istio's `matchLabels` of a workloadSelector, PeerAuthentication selector or Gateway selector: istio.io/istio
 * pkg/config/labels/instance.go Instance.SubsetOf. An empty selector is a subset of every label set, so it selects
 * every workload (where a resource treats "no selector" specially, such as namespace-wide PeerAuthentication, the
 * caller decides that before matching).
 *
 * @public
 */
export function matchLabelsSubsetOf(
  selector: Record<string, string>,
  labels: Record<string, string>,
): boolean {
  return Object.entries(selector).every(([k, v]) => lookup(labels, k) === v);
}
