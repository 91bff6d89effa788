import type { SchemaProblem } from '../../contracts/index.ts';

/** The deepest JSON the hub reads or stores; objects and arrays count one level each. */
export const maxJsonDepth = 32;

// NUL and unpaired UTF-16 surrogates: neither jsonb nor text columns can store them.
const unstorableText = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorableTexts = new RegExp(unstorableText.source, 'g');
const cannotStore = 'a NUL character (\\u0000) or an unpaired UTF-16 surrogate, which the log cannot store';

/**
 * The first place where `value` cannot be stored (NUL, an unpaired surrogate, a number too large
 * to be finite, such as `1e400`, which would be stored as null, or nesting deeper than
 * `maxJsonDepth`) as a problem naming its JSON pointer, or undefined when all of it can.
 * Costs one pass over the value and never recurses deeper than the limit.
 */
export function unstorableAt(value: unknown, depth = 0): SchemaProblem | undefined {
  if (typeof value === 'string') return unstorableText.test(value) ? { path: '', message: `contains ${cannotStore}` } : undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { path: '', message: 'is a number too large to store (it parses as infinity)' };
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= maxJsonDepth) return { path: '', message: `is nested deeper than ${maxJsonDepth} levels of objects and arrays` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = unstorableAt(value[i], depth + 1);
      if (problem) return { ...problem, path: `/${i}${problem.path}` };
    }
    return undefined;
  }
  for (const key in value) {
    if (unstorableText.test(key)) return { path: '', message: `has a property name with ${cannotStore}` };
    const problem = unstorableAt((value as Record<string, unknown>)[key], depth + 1);
    // The path is built on the way out, only for the one value that fails.
    if (problem) return { ...problem, path: `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}${problem.path}` };
  }
  return undefined;
}

/** `text` with every NUL and unpaired surrogate replaced by U+FFFD, so the log can store it. */
export function storableText(text: string): string {
  return unstorableText.test(text) ? text.replace(unstorableTexts, '\ufffd') : text;
}

/**
 * `value` with every string (and property name) made storable; the same object when nothing had
 * to change. Throws when it nests deeper than `maxJsonDepth`: the hub never makes such an event.
 */
export function storableValue<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= maxJsonDepth) throw new Error(`an event of the hub nests deeper than ${maxJsonDepth} levels`);
  if (Array.isArray(value)) {
    const items = value.map((item) => storableValue(item, depth + 1));
    return (items.some((item, i) => item !== value[i]) ? items : value) as T;
  }
  let changed = false;
  const entries = Object.entries(value).map(([key, inner]) => {
    const entry = [storableText(key), storableValue(inner, depth + 1)] as const;
    changed ||= entry[0] !== key || entry[1] !== inner;
    return entry;
  });
  return (changed ? Object.fromEntries(entries) : value) as T;
}
