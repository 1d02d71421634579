import type { AuditEntry } from '@/api/types'
import { Badge, type BadgeProps } from '@/components/ui/badge'
import { formatCheckTime, formatDateTime } from '@/lib/format'

const ACTOR_TYPES: Record<string, { label: string; tone: BadgeProps['tone'] }> = {
  user: { label: 'User', tone: 'info' },
  api_key: { label: 'API key', tone: 'warning' },
  staff: { label: 'Staff', tone: 'danger' },
  system: { label: 'System', tone: 'neutral' },
  stripe: { label: 'Stripe', tone: 'brand' },
}

export function actorTypeLabel(type: string): string {
  return ACTOR_TYPES[type]?.label ?? type
}

export function Actor({ actor, stacked = false }: { actor: AuditEntry['actor']; stacked?: boolean }) {
  const kind = ACTOR_TYPES[actor.type] ?? { label: actor.type, tone: 'neutral' as const }
  const who = actor.email || actor.id
  return (
    <span className={stacked ? 'flex min-w-0 flex-col items-start gap-1' : 'flex min-w-0 flex-wrap items-center gap-1.5'}>
      <Badge tone={kind.tone} className="px-2" data-testid="audit-actor-type">
        {kind.label}
      </Badge>
      {who && (
        <span
          className={
            actor.email
              ? 'min-w-0 max-w-full break-words text-slate-900 [overflow-wrap:anywhere]'
              : 'min-w-0 max-w-full truncate font-mono text-xs text-slate-700'
          }
          title={actor.id ?? undefined}
        >
          {who}
        </span>
      )}
    </span>
  )
}

export function Target({ target }: { target: AuditEntry['target'] }) {
  if (!target.type && !target.id) return <span className="text-slate-400">—</span>
  return (
    <span className="block min-w-0">
      {target.type && <span className="block font-medium text-slate-800">{target.type}</span>}
      {target.id && (
        <code className="block truncate font-mono text-xs text-slate-500" title={target.id}>
          {target.id}
        </code>
      )}
    </span>
  )
}

export function Action({ action }: { action: string }) {
  return <code className="break-all rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">{action}</code>
}

const day = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' })
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })

/** One line ("Nov 21, 04:52:34 PM"), or the date over the time where the column is narrow. */
export function When({ iso, stacked = false }: { iso: string; stacked?: boolean }) {
  const time = Date.parse(iso)
  if (stacked && !Number.isNaN(time)) {
    return (
      <time dateTime={iso} title={formatDateTime(iso)} className="block whitespace-nowrap">
        <span className="block">{day.format(time)}</span>
        <span className="block text-xs text-slate-500">{clock.format(time)}</span>
      </time>
    )
  }
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className="whitespace-nowrap">
      {formatCheckTime(iso)}
    </time>
  )
}

/** Short, one-line values (IP, user agent, request id): cut with an ellipsis, whole in the title. */
export function Clipped({ value, mono = false }: { value: string | null; mono?: boolean }) {
  if (!value) return <span className="text-slate-400">—</span>
  return (
    <span className={`block truncate ${mono ? 'font-mono' : ''}`} title={value}>
      {value}
    </span>
  )
}
