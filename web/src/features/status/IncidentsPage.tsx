import { useState } from 'react'
import { Controller, useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { applyApiErrors, rateLimitMessage, toApiError, type ApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import { addIncidentUpdate, createIncident, listIncidents, updateIncident } from '@/api/status'
import { INCIDENT_IMPACTS, INCIDENT_STATUSES, type Incident, type IncidentImpact } from '@/api/types'
import { Pagination } from '@/components/Pagination'
import { TonePill } from '@/components/TonePill'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { FormField } from '@/components/ui/form-field'
import { Input, inputClasses } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/skeleton'
import { Spinner } from '@/components/ui/spinner'
import { formatWhen, IMPACT_LABELS, impactLabel, INCIDENT_STATUS_LABELS, incidentStatus } from '@/lib/status'
import { cn } from '@/lib/cn'
import { EndpointPicker, endpointNames, useEndpointChoices } from './EndpointPicker'
import { incidentSchema, incidentUpdateSchema, NEW_INCIDENT, type IncidentUpdateValues, type IncidentValues } from './schemas'

const PAGE_SIZE = 20
const textarea = cn(inputClasses, 'h-auto min-h-20 py-2')

function useSubmitError() {
  const [formError, setFormError] = useState<string | null>(null)
  /** A 429 says when to try again; field errors go next to their fields (`place`), the rest above the form. */
  const fail = (error: unknown, place: (apiError: ApiError) => string | null) => {
    const apiError = toApiError(error)
    setFormError(apiError.status === 429 ? rateLimitMessage(error, 'Too many requests.') : place(apiError))
  }
  return { formError, setFormError, fail }
}

function NewIncidentForm({ onCreated }: { onCreated: (incident: Incident) => void }) {
  const queryClient = useQueryClient()
  const { formError, setFormError, fail } = useSubmitError()
  const {
    register,
    control,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<IncidentValues>({ resolver: zodResolver(incidentSchema), defaultValues: NEW_INCIDENT })

  const submit = handleSubmit(async (values) => {
    setFormError(null)
    try {
      const created = await createIncident(values)
      await queryClient.invalidateQueries({ queryKey: queryKeys.incidents })
      reset(NEW_INCIDENT)
      onCreated(created)
    } catch (error) {
      fail(error, (apiError) => applyApiErrors(apiError, setError, ['title', 'status', 'impact', 'message', 'endpoint_ids']))
    }
  })

  return (
    <form onSubmit={submit} noValidate aria-label="Report an incident" className="space-y-4">
      {formError && <Alert tone="error">{formError}</Alert>}
      <fieldset disabled={isSubmitting} className="space-y-4">
        <FormField label="Title" error={errors.title?.message}>
          <Input autoComplete="off" placeholder="Elevated error rates on the API" {...register('title')} />
        </FormField>
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField label="Status" error={errors.status?.message}>
            <select className={inputClasses} {...register('status')}>
              {INCIDENT_STATUSES.filter((s) => s !== 'resolved').map((s) => (
                <option key={s} value={s}>
                  {INCIDENT_STATUS_LABELS[s].label}
                </option>
              ))}
            </select>
          </FormField>
          <FormField label="Impact" error={errors.impact?.message}>
            <select className={inputClasses} {...register('impact')}>
              {INCIDENT_IMPACTS.map((i) => (
                <option key={i} value={i}>
                  {IMPACT_LABELS[i].label}
                </option>
              ))}
            </select>
          </FormField>
        </div>
        <FormField label="Message" error={errors.message?.message} hint="The first update, shown on the status pages.">
          <textarea rows={3} className={textarea} {...register('message')} />
        </FormField>
        <Controller
          control={control}
          name="endpoint_ids"
          render={({ field }) => <EndpointPicker legend="Affected endpoints" value={field.value} onChange={field.onChange} />}
        />
        <div className="flex justify-end">
          <Button type="submit" className="w-full sm:w-auto">
            {isSubmitting && <Spinner />}
            Report incident
          </Button>
        </div>
      </fieldset>
    </form>
  )
}

function UpdateForm({ incident }: { incident: Incident }) {
  const queryClient = useQueryClient()
  const { formError, setFormError, fail } = useSubmitError()
  const initial: IncidentUpdateValues = { status: incident.status === 'resolved' ? 'monitoring' : incident.status, message: '' }
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<IncidentUpdateValues>({ resolver: zodResolver(incidentUpdateSchema), defaultValues: initial })

  const post = async (values: IncidentUpdateValues) => {
    setFormError(null)
    try {
      await addIncidentUpdate(incident.id, values)
      await queryClient.invalidateQueries({ queryKey: queryKeys.incidents })
      reset({ status: values.status === 'resolved' ? 'monitoring' : values.status, message: '' })
    } catch (error) {
      fail(error, (apiError) => applyApiErrors(apiError, setError, ['status', 'message']))
    }
  }
  const submit = handleSubmit(post)
  const resolve = () => void post({ status: 'resolved', message: 'This incident has been resolved.' })

  return (
    <form onSubmit={submit} noValidate aria-label="Add an update" className="space-y-3">
      {formError && <Alert tone="error">{formError}</Alert>}
      <fieldset disabled={isSubmitting} className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">Add an update</legend>
        <FormField label="Status" error={errors.status?.message} className="sm:max-w-xs">
          <select className={inputClasses} {...register('status')}>
            {INCIDENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {INCIDENT_STATUS_LABELS[s].label}
              </option>
            ))}
          </select>
        </FormField>
        <FormField label="Update message" error={errors.message?.message}>
          <textarea rows={3} className={textarea} {...register('message')} />
        </FormField>
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          {incident.status !== 'resolved' && (
            <Button type="button" variant="outline" onClick={resolve}>
              Resolve
            </Button>
          )}
          <Button type="submit">
            {isSubmitting && <Spinner />}
            Post update
          </Button>
        </div>
      </fieldset>
    </form>
  )
}

/** The impact, changed in place (PATCH); the status moves only with an update. */
function ImpactControl({ incident }: { incident: Incident }) {
  const queryClient = useQueryClient()
  const change = useMutation({
    mutationFn: (impact: IncidentImpact) => updateIncident(incident.id, { impact }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.incidents }),
  })
  return (
    <div className="space-y-1">
      <select
        aria-label={`Impact of ${incident.title}`}
        className={cn(inputClasses, 'h-9 sm:max-w-[12rem]')}
        value={incident.impact}
        disabled={change.isPending}
        onChange={(e) => change.mutate(e.target.value as IncidentImpact)}
      >
        {INCIDENT_IMPACTS.map((i) => (
          <option key={i} value={i}>
            {IMPACT_LABELS[i].label}
          </option>
        ))}
      </select>
      {change.isError && (
        <p role="alert" className="text-xs font-medium text-red-600">
          {toApiError(change.error).detail}
        </p>
      )}
    </div>
  )
}

function IncidentDetail({ incident }: { incident: Incident }) {
  const endpoints = useEndpointChoices()
  const names = endpointNames(incident.endpoint_ids, endpoints.data?.results)
  return (
    <div className="space-y-5 rounded-lg bg-slate-50 p-4" data-testid="incident-detail">
      <dl className="grid gap-3 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-slate-500">Impact</dt>
          <dd className="mt-1">
            <ImpactControl incident={incident} />
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Started</dt>
          <dd className="text-slate-900">{formatWhen(incident.started_at)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Resolved</dt>
          <dd className="text-slate-900">{incident.resolved_at ? formatWhen(incident.resolved_at) : 'Not yet'}</dd>
        </div>
        <div className="sm:col-span-3">
          <dt className="text-slate-500">Endpoints</dt>
          <dd className="break-words text-slate-900">{names.length ? names.join(', ') : 'None named'}</dd>
        </div>
      </dl>
      <section aria-label="Timeline">
        <h3 className="text-sm font-semibold text-slate-900">Timeline</h3>
        <ol className="mt-2 space-y-3 border-l-2 border-slate-200 pl-4">
          {incident.updates.map((update, i) => (
            <li key={`${update.created_at}-${i}`} className="text-sm" data-testid="incident-update">
              <p>
                <span className="font-semibold text-slate-900">{incidentStatus(update.status).label}</span>
                <span className="text-slate-500"> · {formatWhen(update.created_at)}</span>
              </p>
              <p className="whitespace-pre-line break-words text-slate-700">{update.message}</p>
            </li>
          ))}
        </ol>
      </section>
      <UpdateForm key={`${incident.id}-${incident.updates.length}`} incident={incident} />
    </div>
  )
}

/** /incidents: what the status pages report; outages open and resolve them, anyone adds updates. */
export function IncidentsPage() {
  const [page, setPage] = useState(1)
  const [openId, setOpenId] = useState<string | null>(null)
  const [reporting, setReporting] = useState(false)
  const list = useQuery({ queryKey: queryKeys.incidentPage(page, PAGE_SIZE), queryFn: () => listIncidents(page, PAGE_SIZE) })

  return (
    <div className="space-y-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Incidents</h1>
          <p className="text-sm text-slate-600">Outages open and resolve incidents by themselves; add updates as you learn more.</p>
        </div>
        {!reporting && (
          <Button onClick={() => setReporting(true)} className="w-full sm:w-auto">
            Report an incident
          </Button>
        )}
      </div>
      {reporting && (
        <Card>
          <CardHeader>
            <CardTitle>Report an incident</CardTitle>
            <CardDescription>It appears at once on the status pages that show its endpoints.</CardDescription>
          </CardHeader>
          <CardContent className="space-y-3">
            <NewIncidentForm
              onCreated={(incident) => {
                setReporting(false)
                setOpenId(incident.id)
              }}
            />
            <div className="flex justify-end">
              <Button variant="ghost" size="sm" onClick={() => setReporting(false)}>
                Close
              </Button>
            </div>
          </CardContent>
        </Card>
      )}
      <Card>
        <CardContent className="space-y-4 pt-6">
          {list.isPending ? (
            <Skeleton className="h-24" />
          ) : list.isError ? (
            <Alert tone="error">{toApiError(list.error).detail}</Alert>
          ) : list.data.results.length === 0 ? (
            <p className="text-sm text-slate-600">No incidents. Nothing has gone wrong yet.</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {list.data.results.map((incident) => {
                const status = incidentStatus(incident.status)
                const open = openId === incident.id
                return (
                  <li key={incident.id} className="space-y-3 py-3 first:pt-0" data-testid="incident-row">
                    <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
                      <div className="min-w-0 flex-1 space-y-1">
                        <div className="flex flex-wrap items-center gap-2">
                          <span className="break-words font-medium text-slate-900">{incident.title}</span>
                          <TonePill label={status.label} tone={status.tone} status={incident.status} testId="incident-status" />
                        </div>
                        <p className="text-xs text-slate-500">
                          {impactLabel(incident.impact).label} impact · {incident.automatic ? 'opened by an outage' : 'started'}{' '}
                          {formatWhen(incident.started_at)}
                        </p>
                      </div>
                      <Button
                        variant="outline"
                        size="sm"
                        aria-expanded={open}
                        onClick={() => setOpenId(open ? null : incident.id)}
                        aria-label={`${open ? 'Close' : 'Open'} ${incident.title}`}
                      >
                        {open ? 'Close' : 'Open'}
                      </Button>
                    </div>
                    {open && <IncidentDetail incident={incident} />}
                  </li>
                )
              })}
            </ul>
          )}
          {list.data && (
            <Pagination page={page} pageSize={PAGE_SIZE} count={list.data.count} onPageChange={setPage} emptyLabel="No incidents" label="Incident pages" />
          )}
        </CardContent>
      </Card>
    </div>
  )
}
