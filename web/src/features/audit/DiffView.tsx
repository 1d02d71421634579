import { useState } from 'react'
import { Button } from '@/components/ui/button'
import { cn } from '@/lib/cn'
import { diffJson, formatJsonValue, prettyJson, type DiffKind } from '@/lib/jsonDiff'

const KIND_LABELS: Record<DiffKind, string> = { added: 'Added', removed: 'Removed', changed: 'Changed', same: 'Unchanged' }

const KIND_STYLES: Record<DiffKind, string> = {
  added: 'border-emerald-200',
  removed: 'border-red-200',
  changed: 'border-amber-200',
  same: 'border-slate-200',
}

function Side({ label, value, present, tone }: { label: string; value: unknown; present: boolean; tone: 'old' | 'new' | 'plain' }) {
  return (
    <div
      className={cn(
        'min-w-0 rounded-md px-2.5 py-1.5',
        !present ? 'bg-slate-50 text-slate-400' : tone === 'old' ? 'bg-red-50 text-red-900' : tone === 'new' ? 'bg-emerald-50 text-emerald-900' : 'bg-slate-50 text-slate-700',
      )}
    >
      <span className="block text-[0.6875rem] font-semibold uppercase tracking-wide opacity-70">{label}</span>
      <code className="block whitespace-pre-wrap break-all font-mono text-xs">{present ? formatJsonValue(value) : 'absent'}</code>
    </div>
  )
}

/** `before` against `after`, field by field: what changed first, the rest on request, and the raw JSON. */
export function DiffView({ before, after }: { before: unknown; after: unknown }) {
  const [showAll, setShowAll] = useState(false)
  const rows = diffJson(before, after)
  const changed = rows.filter((row) => row.kind !== 'same')
  const unchanged = rows.length - changed.length
  const shown = showAll ? rows : changed
  const none = (before === null || before === undefined) && (after === null || after === undefined)

  return (
    <div className="space-y-3" data-testid="audit-diff">
      <p className="text-xs text-slate-600">
        {none
          ? 'Nothing was recorded before or after this change.'
          : before === null || before === undefined
            ? 'Created: every field is new.'
            : after === null || after === undefined
              ? 'Deleted: every field is gone.'
              : changed.length === 0
                ? 'No field changed.'
                : `${changed.length} field${changed.length === 1 ? '' : 's'} changed${unchanged ? `, ${unchanged} unchanged` : ''}.`}
      </p>
      {shown.length > 0 && (
        <ul className="space-y-2" aria-label="Changed fields">
          {shown.map((row) => (
            <li
              key={row.path || '(value)'}
              data-testid="diff-row"
              data-kind={row.kind}
              className={cn(
                'grid gap-1.5 rounded-lg border bg-white p-2 lg:grid-cols-[minmax(0,13rem)_minmax(0,1fr)_minmax(0,1fr)] lg:items-start lg:gap-2',
                KIND_STYLES[row.kind],
              )}
            >
              <p className="flex flex-wrap items-baseline justify-between gap-x-2 lg:block lg:px-1 lg:py-1">
                <code className="break-all font-mono text-xs font-semibold text-slate-900 lg:block">{row.path || '(value)'}</code>
                <span className="text-[0.6875rem] font-medium uppercase tracking-wide text-slate-500 lg:mt-0.5 lg:block">{KIND_LABELS[row.kind]}</span>
              </p>
              <Side label="Before" value={row.before} present={row.kind !== 'added'} tone={row.kind === 'same' ? 'plain' : 'old'} />
              <Side label="After" value={row.after} present={row.kind !== 'removed'} tone={row.kind === 'same' ? 'plain' : 'new'} />
            </li>
          ))}
        </ul>
      )}
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        {unchanged > 0 && (
          <Button variant="link" size="sm" onClick={() => setShowAll(!showAll)}>
            {showAll ? 'Hide unchanged fields' : `Show ${unchanged} unchanged field${unchanged === 1 ? '' : 's'}`}
          </Button>
        )}
      </div>
      {!none && (
        <details className="rounded-lg border border-slate-200 bg-white">
          <summary className="cursor-pointer select-none px-3 py-2 text-xs font-medium text-slate-700">Raw JSON</summary>
          <div className="grid gap-2 border-t border-slate-100 p-3 md:grid-cols-2">
            <div className="min-w-0">
              <p className="mb-1 text-[0.6875rem] font-semibold uppercase tracking-wide text-slate-500">Before</p>
              <pre className="max-h-72 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">{prettyJson(before)}</pre>
            </div>
            <div className="min-w-0">
              <p className="mb-1 text-[0.6875rem] font-semibold uppercase tracking-wide text-slate-500">After</p>
              <pre className="max-h-72 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">{prettyJson(after)}</pre>
            </div>
          </div>
        </details>
      )}
    </div>
  )
}
