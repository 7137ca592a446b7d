// Object validation done on create/update (never on scenario load, so malformed manifests are still served):
// names (DNS-1123 subdomain/label, DNS-1035 for Services), label keys and values, annotation keys.
import type { JsonObject } from './json.ts';
import { asObject, isObject } from './json.ts';
import type { ResourceType } from './resources.ts';
import type { StatusCause } from './status.ts';
import { errors } from './status.ts';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const MSG = {
  label:
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  subdomain:
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  dns1035:
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  qualifiedName:
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  labelValue:
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
};

function invalid(field: string, value: unknown, message: string): StatusCause {
  return {
    reason: 'FieldValueInvalid',
    field,
    message: `Invalid value: ${JSON.stringify(value)}: ${message}`,
  };
}

export function nameCauses(
  type: ResourceType,
  name: string,
  field = 'metadata.name',
): StatusCause[] {
  if (type.kind === 'Service') {
    if (name.length > 63 || !DNS1035_LABEL.test(name))
      return [invalid(field, name, MSG.dns1035)];
  } else if (type.labelName) {
    if (name.length > 63)
      return [invalid(field, name, 'must be no more than 63 characters')];
    if (!DNS1123_LABEL.test(name)) return [invalid(field, name, MSG.label)];
  } else {
    if (name.length > 253)
      return [invalid(field, name, 'must be no more than 253 characters')];
    if (!DNS1123_SUBDOMAIN.test(name))
      return [invalid(field, name, MSG.subdomain)];
  }
  return [];
}

function qualifiedKeyCauses(field: string, key: string): StatusCause[] {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const causes: StatusCause[] = [];
  if (
    prefix !== undefined &&
    (prefix.length === 0 ||
      prefix.length > 253 ||
      !DNS1123_SUBDOMAIN.test(prefix))
  ) {
    causes.push(invalid(field, key, `prefix part ${MSG.subdomain}`));
  }
  if (name.length === 0 || name.length > 63)
    causes.push(
      invalid(field, key, 'name part must be no more than 63 characters'),
    );
  else if (!QUALIFIED_NAME.test(name))
    causes.push(invalid(field, key, MSG.qualifiedName));
  return causes;
}

/** Causes of a 422 Invalid for the object's metadata; empty when valid. */
export function metadataCauses(
  type: ResourceType,
  obj: JsonObject,
): StatusCause[] {
  const meta = asObject(obj.metadata);
  const causes: StatusCause[] = [];
  if (typeof meta.name !== 'string' || meta.name === '') {
    causes.push({
      reason: 'FieldValueRequired',
      field: 'metadata.name',
      message: 'Required value: name or generateName is required',
    });
  } else {
    causes.push(...nameCauses(type, meta.name));
  }
  if (meta.labels !== undefined && meta.labels !== null) {
    if (!isObject(meta.labels))
      causes.push(
        invalid('metadata.labels', meta.labels, 'must be a map of strings'),
      );
    else {
      for (const [k, v] of Object.entries(meta.labels)) {
        causes.push(...qualifiedKeyCauses('metadata.labels', k));
        if (typeof v !== 'string')
          causes.push(invalid(`metadata.labels`, v, 'must be a string'));
        else if (v.length > 63)
          causes.push(
            invalid('metadata.labels', v, 'must be no more than 63 characters'),
          );
        else if (!LABEL_VALUE.test(v))
          causes.push(invalid('metadata.labels', v, MSG.labelValue));
      }
    }
  }
  if (isObject(meta.annotations)) {
    for (const [k, v] of Object.entries(meta.annotations)) {
      causes.push(...qualifiedKeyCauses('metadata.annotations', k));
      if (typeof v !== 'string')
        causes.push(invalid('metadata.annotations', v, 'must be a string'));
    }
  }
  return causes;
}

export function assertValid(type: ResourceType, obj: JsonObject): void {
  const causes = metadataCauses(type, obj);
  if (causes.length > 0) {
    const name = asObject(obj.metadata).name;
    throw errors.invalid(
      type.kind,
      type.group,
      typeof name === 'string' ? name : '',
      causes,
    );
  }
}
