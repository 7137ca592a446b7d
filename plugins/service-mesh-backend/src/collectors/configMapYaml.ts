/*
 * A YAML document held in one key of a ConfigMap (istiod's `mesh`, the injector's `config`): a mapping, `{}`
 * when the key is empty, undefined when the key is absent; anything else makes the ConfigMap malformed.
 */
import { parse } from 'yaml';
import { isRecord, MalformedError, optionalRecord } from './objects';

export function configMapYaml(
  obj: Record<string, unknown>,
  key: string,
): Record<string, unknown> | undefined {
  const data = optionalRecord(obj.data, 'data') ?? {};
  const text = data[key];
  if (typeof text !== 'string') return undefined;
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new MalformedError(
      `data.${key} is not valid YAML: ${(error as Error).message}`,
    );
  }
  if (value === null || value === undefined) return {};
  if (!isRecord(value))
    throw new MalformedError(`data.${key} is not a YAML mapping`);
  return value;
}
