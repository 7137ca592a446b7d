/*
 * Policy specs as YAML, written by the `yaml` library (already in the app's bundle through Backstage). It
 * writes YAML 1.1 so that strings a YAML 1.1 reader (kubectl, sigs.k8s.io/yaml) takes for numbers or booleans
 * — `0x1A`, `1e3`, `.5`, `.inf`, `y`, `n`, `on` — are quoted and read back as the strings they are.
 */
import { stringify } from 'yaml';

/** Serialises JSON-compatible data as block-style YAML that reads back to the same data. */
export function toYaml(value: unknown): string {
  return stringify(value ?? null, { version: '1.1', lineWidth: 0 });
}
