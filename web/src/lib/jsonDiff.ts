/** A field-by-field comparison of an audit row's `before` and `after`. */

export type DiffKind = 'added' | 'removed' | 'changed' | 'same'

export interface DiffRow {
  /** "name", "settings.debounce_minutes"; "" when the value itself is not an object. */
  path: string
  kind: DiffKind
  /** Absent (undefined) on the side where the field does not exist. */
  before?: unknown
  after?: unknown
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Objects become dotted paths; arrays and everything else are leaves. */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (isPlainObject(value)) {
    const entries = Object.entries(value)
    if (entries.length === 0 && prefix) out.set(prefix, value)
    for (const [key, child] of entries) flatten(child, prefix ? `${prefix}.${key}` : key, out)
    return
  }
  out.set(prefix, value)
}

function flat(value: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>()
  if (value === null || value === undefined) return out
  flatten(value, '', out)
  return out
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** Every field of either side, in the order they first appear (before's, then after's new ones). */
export function diffJson(before: unknown, after: unknown): DiffRow[] {
  const left = flat(before)
  const right = flat(after)
  const paths = [...left.keys(), ...[...right.keys()].filter((path) => !left.has(path))]
  return paths.map((path) => {
    const inLeft = left.has(path)
    const inRight = right.has(path)
    const row: DiffRow = {
      path,
      kind: !inLeft ? 'added' : !inRight ? 'removed' : same(left.get(path), right.get(path)) ? 'same' : 'changed',
    }
    if (inLeft) row.before = left.get(path)
    if (inRight) row.after = right.get(path)
    return row
  })
}

/** A value as JSON, on one line: strings keep their quotes, so "null" and null differ. */
export function formatJsonValue(value: unknown): string {
  if (value === undefined) return '—'
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** Pretty JSON for the raw view. */
export function prettyJson(value: unknown): string {
  if (value === undefined) return 'null'
  try {
    return JSON.stringify(value, null, 2) ?? String(value)
  } catch {
    return String(value)
  }
}
