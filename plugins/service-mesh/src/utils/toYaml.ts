/*
 * A small YAML writer for plain JSON data (policy specs), so the plugin needs no YAML library in the browser.
 */
const PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_ ./*:-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|~|-?\d+(\.\d+)?)$/i;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  const text = String(value);
  if (PLAIN.test(text) && !RESERVED.test(text) && !/:\s|\s$/.test(text)) {
    return text;
  }
  return JSON.stringify(text);
}

function isComplex(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0)
  );
}

function emptyComplex(value: unknown): string | undefined {
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.keys(value).length === 0 ? '{}' : undefined;
  }
  return undefined;
}

function lines(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap(item => {
      if (!isComplex(item)) {
        return [`${indent}- ${emptyComplex(item) ?? scalar(item)}`];
      }
      const [first, ...rest] = lines(item, `${indent}  `);
      return [`${indent}- ${first.trimStart()}`, ...rest];
    });
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => {
      const name = scalar(key);
      if (!isComplex(item)) {
        return [`${indent}${name}: ${emptyComplex(item) ?? scalar(item)}`];
      }
      return [`${indent}${name}:`, ...lines(item, `${indent}  `)];
    });
  }
  return [`${indent}${scalar(value)}`];
}

/** Serialises JSON-compatible data as block-style YAML. */
export function toYaml(value: unknown): string {
  const empty = emptyComplex(value);
  if (empty) return `${empty}\n`;
  return `${lines(value, '').join('\n')}\n`;
}
