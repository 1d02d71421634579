import { useState, type FormEvent } from 'react'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import type { AuditSearch } from './search'

type Filters = Omit<AuditSearch, 'page'>
type Draft = Required<{ [K in keyof Filters]: string }>

function draftOf(filters: Filters): Draft {
  return {
    actor: filters.actor ?? '',
    action: filters.action ?? '',
    target_type: filters.target_type ?? '',
    target_id: filters.target_id ?? '',
    from: filters.from ?? '',
    to: filters.to ?? '',
  }
}

interface AuditFiltersProps {
  filters: Filters
  onApply: (filters: Filters) => void
}

/**
 * The log's filters, applied together with "Apply" (each one is a query parameter of
 * GET /api/audit-log/). The parent remounts this form when the URL's filters change.
 */
export function AuditFilters({ filters, onApply }: AuditFiltersProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(filters))
  const [rangeError, setRangeError] = useState<string | null>(null)
  const set = (name: keyof Draft) => (event: React.ChangeEvent<HTMLInputElement>) =>
    setDraft((current) => ({ ...current, [name]: event.target.value }))
  const active = Object.values(filters).some(Boolean)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (draft.from && draft.to && draft.from > draft.to) {
      setRangeError('The end comes before the start.')
      return
    }
    setRangeError(null)
    const next: Filters = {}
    for (const [name, value] of Object.entries(draft) as [keyof Draft, string][]) {
      if (value.trim()) next[name] = value.trim()
    }
    onApply(next)
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Filter the audit log" className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <FormField label="Actor" hint="A user's or API key's id, or an e-mail.">
          <Input value={draft.actor} onChange={set('actor')} autoComplete="off" spellCheck={false} placeholder="ops@example.com" />
        </FormField>
        <FormField label="Action" hint="For example member.role_changed.">
          <Input value={draft.action} onChange={set('action')} autoComplete="off" spellCheck={false} placeholder="endpoint.updated" />
        </FormField>
        <FormField label="Target type" hint="endpoint, member, api_key, channel…">
          <Input value={draft.target_type} onChange={set('target_type')} autoComplete="off" spellCheck={false} placeholder="endpoint" />
        </FormField>
        <FormField label="Target id">
          <Input value={draft.target_id} onChange={set('target_id')} autoComplete="off" spellCheck={false} className="font-mono" />
        </FormField>
        <FormField label="From">
          <Input type="date" value={draft.from} onChange={set('from')} />
        </FormField>
        <FormField label="To" error={rangeError ?? undefined}>
          <Input type="date" value={draft.to} min={draft.from || undefined} onChange={set('to')} />
        </FormField>
      </div>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        {active && (
          <Button variant="outline" onClick={() => onApply({})}>
            Clear filters
          </Button>
        )}
        <Button type="submit">Apply filters</Button>
      </div>
    </form>
  )
}
