import { useState, type FormEvent } from 'react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useParams } from '@tanstack/react-router'
import { rateLimitMessage, toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import { getPublicStatus, subscribe } from '@/api/status'
import type { Incident, PublicMaintenance, PublicStatus } from '@/api/types'
import { TonePill } from '@/components/TonePill'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/skeleton'
import { Spinner } from '@/components/ui/spinner'
import { componentTone, formatWhen, impactLabel, incidentStatus, OVERALL } from '@/lib/status'
import { cn } from '@/lib/cn'
import { DailyUptimeBars } from './DailyUptimeBars'
import { StatusNotFound, StatusPublicLayout } from './StatusPublicLayout'

const OVERALL_BANNER: Record<PublicStatus['overall'], string> = {
  operational: 'bg-emerald-600',
  degraded: 'bg-amber-500',
  major_outage: 'bg-red-600',
  maintenance: 'bg-sky-600',
}

function IncidentCard({ incident }: { incident: Incident }) {
  const status = incidentStatus(incident.status)
  const impact = impactLabel(incident.impact)
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4" data-testid="public-incident">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="min-w-0 break-words font-semibold text-slate-900">{incident.title}</h3>
        <TonePill label={status.label} tone={status.tone} status={incident.status} />
        {incident.impact !== 'none' && <TonePill label={`${impact.label} impact`} tone={impact.tone} />}
      </div>
      <p className="mt-1 text-xs text-slate-500">
        Started {formatWhen(incident.started_at)}
        {incident.resolved_at && ` · resolved ${formatWhen(incident.resolved_at)}`}
      </p>
      {incident.updates.length > 0 && (
        <ol className="mt-3 space-y-3 border-l-2 border-slate-200 pl-4">
          {incident.updates.map((update, i) => (
            <li key={`${update.created_at}-${i}`} className="text-sm">
              <p>
                <span className="font-semibold text-slate-900">{incidentStatus(update.status).label}</span>
                <span className="text-slate-500"> · {formatWhen(update.created_at)}</span>
              </p>
              <p className="whitespace-pre-line break-words text-slate-700">{update.message}</p>
            </li>
          ))}
        </ol>
      )}
    </li>
  )
}

function MaintenanceItem({ window }: { window: PublicMaintenance }) {
  return (
    <li className="rounded-lg border border-sky-200 bg-sky-50 p-4 text-sm" data-testid="public-maintenance">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="min-w-0 break-words font-semibold text-slate-900">{window.title}</h3>
        <TonePill label={window.status === 'active' ? 'In progress' : 'Scheduled'} tone="blue" status={window.status} />
      </div>
      <p className="mt-1 text-slate-700">
        {formatWhen(window.starts_at)} – {formatWhen(window.ends_at)}
      </p>
    </li>
  )
}

function SubscribeForm({ slug }: { slug: string }) {
  const [email, setEmail] = useState('')
  const [invalid, setInvalid] = useState<string | null>(null)
  const mutation = useMutation({ mutationFn: (address: string) => subscribe(slug, address) })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const address = email.trim()
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) {
      setInvalid('Enter a valid e-mail address.')
      return
    }
    setInvalid(null)
    mutation.mutate(address)
  }
  const apiError = mutation.isError ? toApiError(mutation.error) : null
  const fieldError = invalid ?? apiError?.errors.email?.join(' ')
  return (
    <Card>
      <CardHeader>
        <CardTitle>Get updates by e-mail</CardTitle>
      </CardHeader>
      <CardContent className="space-y-3">
        {mutation.isSuccess ? (
          <Alert tone="success" title="Check your inbox" data-testid="subscribe-sent">
            We sent a link to {mutation.variables}. Open it to confirm that you want these updates.
          </Alert>
        ) : (
          <>
            {apiError && !apiError.errors.email && (
              <Alert tone="error">
                {apiError.status === 429 ? rateLimitMessage(mutation.error, 'Too many requests for this address.') : apiError.detail}
              </Alert>
            )}
            <form onSubmit={submit} noValidate aria-label="Subscribe" className="flex flex-col gap-3 sm:flex-row sm:items-start">
              <FormField label="E-mail" error={fieldError} className="flex-1">
                <Input type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
              </FormField>
              <Button type="submit" disabled={mutation.isPending} className="sm:mt-6">
                {mutation.isPending && <Spinner />}
                Subscribe
              </Button>
            </form>
          </>
        )}
      </CardContent>
    </Card>
  )
}

function StatusBody({ slug, status }: { slug: string; status: PublicStatus }) {
  const overall = OVERALL[status.overall] ?? OVERALL.operational
  const active = status.incidents.filter((i) => !i.resolved_at)
  const recent = status.incidents.filter((i) => i.resolved_at)
  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <h1 className="break-words text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">{status.title}</h1>
        {status.description && <p className="whitespace-pre-line break-words text-slate-600">{status.description}</p>}
      </div>
      <div
        className={cn('rounded-xl px-5 py-4 text-lg font-semibold text-white shadow-sm', OVERALL_BANNER[status.overall] ?? 'bg-emerald-600')}
        data-testid="overall-status"
        data-status={status.overall}
      >
        {overall.label}
      </div>
      {active.length > 0 && (
        <section aria-labelledby="active-incidents" className="space-y-3">
          <h2 id="active-incidents" className="text-lg font-semibold text-slate-900">
            Active incidents
          </h2>
          <ul className="space-y-3">
            {active.map((incident) => (
              <IncidentCard key={incident.id} incident={incident} />
            ))}
          </ul>
        </section>
      )}
      {status.maintenances.length > 0 && (
        <section aria-labelledby="maintenance" className="space-y-3">
          <h2 id="maintenance" className="text-lg font-semibold text-slate-900">
            Maintenance
          </h2>
          <ul className="space-y-3">
            {status.maintenances.map((window, i) => (
              <MaintenanceItem key={`${window.starts_at}-${i}`} window={window} />
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="components">
        <Card>
          <CardHeader>
            <CardTitle id="components">Components</CardTitle>
          </CardHeader>
          <CardContent>
            {status.components.length === 0 ? (
              <p className="text-sm text-slate-600">This page shows no components yet.</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {status.components.map((component, i) => {
                  const state = componentTone(component.status)
                  return (
                    <li key={`${component.name}-${i}`} className="space-y-2 py-4 first:pt-0 last:pb-0" data-testid="public-component">
                      <div className="flex items-center justify-between gap-3">
                        <span className="min-w-0 break-words font-medium text-slate-900">{component.name}</span>
                        <TonePill label={state.label} tone={state.tone} status={component.status} />
                      </div>
                      <DailyUptimeBars name={component.name} days={component.uptime_90d} />
                    </li>
                  )
                })}
              </ul>
            )}
          </CardContent>
        </Card>
      </section>
      <section aria-labelledby="past-incidents" className="space-y-3">
        <h2 id="past-incidents" className="text-lg font-semibold text-slate-900">
          Past incidents (14 days)
        </h2>
        {recent.length === 0 ? (
          <p className="text-sm text-slate-600">No incidents reported in the last 14 days.</p>
        ) : (
          <ul className="space-y-3">
            {recent.map((incident) => (
              <IncidentCard key={incident.id} incident={incident} />
            ))}
          </ul>
        )}
      </section>
      <SubscribeForm slug={slug} />
    </div>
  )
}

/** /status/{slug}: an organisation's public status page; no login. */
export function PublicStatusPage() {
  const { slug } = useParams({ strict: false }) as { slug: string }
  const status = useQuery({
    queryKey: queryKeys.publicStatus(slug),
    queryFn: () => getPublicStatus(slug),
    refetchInterval: 60_000,
    retry: (count, error) => toApiError(error).status !== 404 && count < 2,
  })
  const missing = status.isError && toApiError(status.error).status === 404
  return (
    <StatusPublicLayout>
      {status.data ? (
        <StatusBody slug={slug} status={status.data} />
      ) : missing ? (
        <StatusNotFound />
      ) : status.isError ? (
        <Alert tone="error" title="The status page could not be loaded">
          {toApiError(status.error).detail}
        </Alert>
      ) : (
        <div className="space-y-4" aria-busy="true">
          <Skeleton className="h-9 w-2/3" />
          <Skeleton className="h-16" />
          <Skeleton className="h-48" />
        </div>
      )}
    </StatusPublicLayout>
  )
}
