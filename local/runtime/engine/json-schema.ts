/**
 * JSON Schema checks used by the Request trigger (schema validation) and Parse JSON. Messages follow
 * Newtonsoft.Json.Schema, which the Logic Apps host uses ("Invalid type. Expected String but got
 * Integer.", "Required properties are missing from object: a, b.").
 */
type Schema = Record<string, unknown>;

function typeName(value: unknown): string {
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'Array';
  switch (typeof value) {
    case 'string': return 'String';
    case 'boolean': return 'Boolean';
    case 'number': return Number.isInteger(value) ? 'Integer' : 'Float';
    case 'bigint': return 'Integer';
    case 'object': return 'Object';
    default: return 'Undefined';
  }
}

function matchesType(type: string, value: unknown): boolean {
  switch (type.toLowerCase()) {
    case 'string': return typeof value === 'string';
    case 'integer': return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint';
    case 'number': return typeof value === 'number' || typeof value === 'bigint';
    case 'boolean': return typeof value === 'boolean';
    case 'null': return value === null;
    case 'array': return Array.isArray(value);
    case 'object': return value !== null && typeof value === 'object' && !Array.isArray(value);
    default: return true;
  }
}

function displayType(type: string): string {
  return type.charAt(0).toUpperCase() + type.slice(1).toLowerCase();
}

function at(path: string): string {
  return path === '' ? '' : ` Path '${path}'.`;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function validateAt(schema: unknown, value: unknown, path: string, errors: string[]): void {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return;
  const s = schema as Schema;
  if (s.type !== undefined) {
    const types = (Array.isArray(s.type) ? s.type : [s.type]).map(String);
    if (!types.some((t) => matchesType(t, value))) {
      errors.push(`Invalid type. Expected ${types.map(displayType).join(', ')} but got ${typeName(value)}.${at(path)}`);
      return;
    }
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push(`Value ${JSON.stringify(value)} is not defined in enum.${at(path)}`);
  }
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && value.length < s.minLength) errors.push(`String '${value}' is less than minimum length of ${s.minLength}.${at(path)}`);
    if (typeof s.maxLength === 'number' && value.length > s.maxLength) errors.push(`String '${value}' exceeds maximum length of ${s.maxLength}.${at(path)}`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) errors.push(`String '${value}' does not match regex pattern '${s.pattern}'.${at(path)}`);
  }
  if (typeof value === 'number') {
    const kind = Number.isInteger(value) ? 'Integer' : 'Float';
    if (typeof s.minimum === 'number' && value < s.minimum) errors.push(`${kind} ${value} is less than minimum value of ${s.minimum}.${at(path)}`);
    if (typeof s.maximum === 'number' && value > s.maximum) errors.push(`${kind} ${value} exceeds maximum value of ${s.maximum}.${at(path)}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) errors.push(`Array item count ${value.length} is less than minimum count of ${s.minItems}.${at(path)}`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) errors.push(`Array item count ${value.length} exceeds maximum count of ${s.maxItems}.${at(path)}`);
    if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) value.forEach((v, i) => validateAt(s.items, v, join(path, i), errors));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const props = (s.properties && typeof s.properties === 'object' ? s.properties : {}) as Record<string, unknown>;
    if (Array.isArray(s.required)) {
      const missing = s.required.map(String).filter((k) => !(k in obj));
      if (missing.length > 0) errors.push(`Required properties are missing from object: ${missing.join(', ')}.${at(path)}`);
    }
    for (const [k, v] of Object.entries(obj)) {
      if (k in props) validateAt(props[k], v, join(path, k), errors);
      else if (s.additionalProperties === false) {
        errors.push(`Property '${k}' has not been defined and the schema does not allow additional properties.${at(join(path, k))}`);
      } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
        validateAt(s.additionalProperties, v, join(path, k), errors);
      }
    }
  }
}

/** All schema violations of a value, empty when it conforms. */
export function validateJsonSchema(schema: unknown, value: unknown): string[] {
  const errors: string[] = [];
  validateAt(schema, value, '', errors);
  return errors;
}
