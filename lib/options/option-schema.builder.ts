/** A class whose properties carry class-validator rules. */
export type SchemaClass = (new () => object) & { readonly nested?: NestedSchemas };

/** Fields whose object values are validated as another schema class, chosen from the value itself. */
export type NestedSchemas = Readonly<Record<string, (value: Record<string, unknown>) => SchemaClass>>;

/** A given key that class-validator cannot judge, with the schema it was given to. */
export interface StrayKey {
  field: string;
  Schema: SchemaClass;
}

/** What was given, as an instance of `Schema` for class-validator, and the keys it cannot check. */
export interface BuiltSchema {
  schema: object;
  /**
   * Given keys that are names of `Object.prototype` (`__proto__`, `constructor`...): class-validator's
   * whitelist looks keys up in a plain object, so it would take them for declared fields and let them pass,
   * and an own `constructor` would hide the schema class from it. They are left off the schema.
   */
  strayKeys: StrayKey[];
}

/**
 * Copies every given key onto a fresh `Schema` instance, nested objects onto theirs, without
 * assignment: a `__proto__` key becomes a plain own property instead of re-parenting the schema.
 */
export function buildSchema(Schema: SchemaClass, given: Record<string, unknown>, path = ''): BuiltSchema {
  const schema = new Schema();
  const strayKeys: StrayKey[] = [];
  for (const key of Object.keys(given)) {
    if (key in Object.prototype) {
      strayKeys.push({ field: `${path}${key}`, Schema });
      continue;
    }
    const value = given[key];
    const nested = Object.hasOwn(Schema.nested ?? {}, key) ? Schema.nested?.[key] : undefined;
    let field: unknown = value;
    if (nested !== undefined && isObject(value)) {
      const built = buildSchema(nested(value), value, `${path}${key}.`);
      strayKeys.push(...built.strayKeys);
      field = built.schema;
    }
    Object.defineProperty(schema, key, { value: field, enumerable: true, writable: true, configurable: true });
  }
  return { schema, strayKeys };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
