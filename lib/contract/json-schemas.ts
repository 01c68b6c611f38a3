import { z } from 'zod';
import { INTENTS } from './registry.js';
import type { IntentId } from './types.js';

/**
 * JSON Schema (draft 2020-12) of each intent's `intent_fields`, for documentation and for Thread's intent
 * designer. It describes accepted input; the validator is more forgiving about case and spelling.
 */
export function intentFieldsJsonSchema(id: IntentId): Record<string, unknown> {
  const intent = INTENTS.find((candidate) => candidate.id === id);
  if (!intent) throw new Error(`Unknown intent id: ${id}`);
  const shaped = intent.schema as unknown as { in: z.ZodObject };
  const json = z.toJSONSchema(shaped.in, { io: 'input' }) as Record<string, unknown>;
  const properties = (json.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required: string[] = [];
  for (const [name, member] of Object.entries(shaped.in.shape)) {
    const meta = z.globalRegistry.get(member as z.ZodType) as Record<string, unknown> | undefined;
    const property = properties[name];
    if (!meta || !property) continue;
    if (meta['x-required'] === true) required.push(name);
    // toJSONSchema leaves defaults and examples out of input schemas; they are what a reader needs most.
    if (meta.default !== undefined) property.default = meta.default;
    if (Array.isArray(meta.examples)) property.examples = meta.examples;
    delete property['x-required'];
  }
  return {
    ...json,
    title: intent.displayName,
    description: `intent_fields of "${intent.names.join('" / "')}".`,
    required,
  };
}

export function allIntentJsonSchemas(): Record<IntentId, Record<string, unknown>> {
  return Object.fromEntries(INTENTS.map((intent) => [intent.id, intentFieldsJsonSchema(intent.id)])) as Record<
    IntentId,
    Record<string, unknown>
  >;
}
