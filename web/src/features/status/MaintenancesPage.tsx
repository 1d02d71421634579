import { useState } from 'react'
import { Controller, useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { applyApiErrors, rateLimitMessage, toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import { createMaintenance, deleteMaintenance, listMaintenances, updateMaintenance } from '@/api/status'
import type { Maintenance } from '@/api/types'
import { ConfirmDeleteDialog } from '@/components/ConfirmDeleteDialog'
import { Pagination } from '@/components/Pagination'
import { TonePill } from '@/components/TonePill'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/skeleton'
import { Spinner } from '@/components/ui/spinner'
import { useNow } from '@/hooks/useNow'
import { formatWhen, fromLocalInput, toLocalInput } from '@/lib/status'
import { EndpointPicker, endpointNames, useEndpointChoices } from './EndpointPicker'
import { maintenanceSchema, type MaintenanceValues } from './schemas'

const PAGE_SIZE = 20
const FIELDS = ['title', 'starts_at', 'ends_at', 'endpoint_ids'] as const

function defaults(window?: Maintenance): MaintenanceValues {
  if (window) {
    return { title: window.title, starts_at: toLocalInput(window.starts_at), ends_at: toLocalInput(window.ends_at), endpoint_ids: window.endpoint_ids }
  }
  const start = new Date(Date.now() + 3600_000)
  start.setMinutes(0, 0, 0)
  return { title: '', starts_at: toLocalInput(start.toISOString()), ends_at: toLocalInput(new Date(start.getTime() + 3600_000).toISOString()), endpoint_ids: [] }
}

function MaintenanceForm({ editing, onDone }: { editing?: Maintenance; onDone: () => void }) {
  const queryClient = useQueryClient()
  const [formError, setFormError] = useState<string | null>(null)
  const {
    register,
    control,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<MaintenanceValues>({ resolver: zodResolver(maintenanceSchema), defaultValues: defaults(editing) })

  const submit = handleSubmit(async (values) => {
    setFormError(null)
    const input = {
      title: values.title,
      starts_at: fromLocalInput(values.starts_at) ?? '',
      ends_at: fromLocalInput(values.ends_at) ?? '',
      endpoint_ids: values.endpoint_ids,
    }
    try {
      if (editing) await updateMaintenance(editing.id, input)
      else await createMaintenance(input)
      await queryClient.invalidateQueries({ queryKey: queryKeys.maintenances })
      reset(defaults())
      onDone()
    } catch (error) {
      const apiError = toApiError(error)
      setFormError(apiError.status === 429 ? rateLimitMessage(error, 'Too many requests.') : applyApiErrors(apiError, setError, FIELDS))
    }
  })

  return (
    <form onSubmit={submit} noValidate aria-label={editing ? 'Edit the maintenance window' : 'Schedule maintenance'} className="space-y-4">
      {formError && <Alert tone="error">{formError}</Alert>}
      <fieldset disabled={isSubmitting} className="space-y-4">
        <FormField label="Title" error={errors.title?.message}>
          <Input autoComplete="off" placeholder="Database upgrade" {...register('title')} />
        </FormField>
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField label="Starts" error={errors.starts_at?.message} hint="In your time zone.">
            <Input type="datetime-local" {...register('starts_at')} />
          </FormField>
          <FormField label="Ends" error={errors.ends_at?.message} hint="After the start, at most 7 days later.">
            <Input type="datetime-local" {...register('ends_at')} />
          </FormField>
        </div>
        <Controller
          control={control}
          name="endpoint_ids"
          render={({ field }) => (
            <EndpointPicker
              legend="Endpoints"
              hint="Their failures raise no alerts and do not count against uptime during the window."
              value={field.value}
              onChange={field.onChange}
            />
          )}
        />
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          {editing && (
            <Button type="button" variant="outline" onClick={onDone}>
              Cancel editing
            </Button>
          )}
          <Button type="submit">
            {isSubmitting && <Spinner />}
            {editing ? 'Save window' : 'Schedule'}
          </Button>
        </div>
      </fieldset>
    </form>
  )
}

function windowState(window: Maintenance, now: number): { label: string; tone: 'blue' | 'grey' | 'green' } {
  if (Date.parse(window.ends_at) <= now) return { label: 'Finished', tone: 'grey' }
  if (Date.parse(window.starts_at) <= now) return { label: 'In progress', tone: 'blue' }
  return { label: 'Scheduled', tone: 'green' }
}

/** /maintenances: windows during which failures raise no alerts; every role schedules them. */
export function MaintenancesPage() {
  const queryClient = useQueryClient()
  const now = useNow(60_000)
  const [page, setPage] = useState(1)
  const [editing, setEditing] = useState<Maintenance | null>(null)
  const list = useQuery({ queryKey: queryKeys.maintenancePage(page, PAGE_SIZE), queryFn: () => listMaintenances(page, PAGE_SIZE) })
  const endpoints = useEndpointChoices()
  const cancel = useMutation({
    mutationFn: deleteMaintenance,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.maintenances }),
  })

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Maintenance</h1>
        <p className="text-sm text-slate-600">Planned work: checks still run, but failures raise no alerts and open no incidents.</p>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>{editing ? `Edit “${editing.title}”` : 'Schedule maintenance'}</CardTitle>
          <CardDescription>Status pages showing these endpoints announce the window.</CardDescription>
        </CardHeader>
        <CardContent>
          <MaintenanceForm key={editing?.id ?? 'new'} editing={editing ?? undefined} onDone={() => setEditing(null)} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Windows</CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          {list.isPending ? (
            <Skeleton className="h-24" />
          ) : list.isError ? (
            <Alert tone="error">{toApiError(list.error).detail}</Alert>
          ) : list.data.results.length === 0 ? (
            <p className="text-sm text-slate-600">No maintenance scheduled.</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {list.data.results.map((window) => {
                const state = windowState(window, now)
                const names = endpointNames(window.endpoint_ids, endpoints.data?.results)
                return (
                  <li key={window.id} className="flex flex-col gap-3 py-3 sm:flex-row sm:items-center" data-testid="maintenance-row">
                    <div className="min-w-0 flex-1 space-y-1">
                      <div className="flex flex-wrap items-center gap-2">
                        <span className="break-words font-medium text-slate-900">{window.title}</span>
                        <TonePill label={state.label} tone={state.tone} />
                      </div>
                      <p className="text-sm text-slate-600">
                        {formatWhen(window.starts_at)} – {formatWhen(window.ends_at)}
                      </p>
                      {names.length > 0 && <p className="break-words text-xs text-slate-500">{names.join(', ')}</p>}
                    </div>
                    <div className="flex gap-2">
                      <Button variant="outline" size="sm" onClick={() => setEditing(window)}>
                        Edit
                      </Button>
                      <ConfirmDeleteDialog
                        name={window.title}
                        title="Cancel this maintenance window?"
                        consequence="will be removed; failures of its endpoints raise alerts again."
                        actionLabel="Yes, cancel it"
                        onConfirm={async () => {
                          await cancel.mutateAsync(window.id)
                          if (editing?.id === window.id) setEditing(null)
                        }}
                        trigger={
                          <Button variant="outline" size="sm">
                            Cancel window
                          </Button>
                        }
                      />
                    </div>
                  </li>
                )
              })}
            </ul>
          )}
          {list.data && (
            <Pagination page={page} pageSize={PAGE_SIZE} count={list.data.count} onPageChange={setPage} emptyLabel="No windows" label="Windows pages" />
          )}
        </CardContent>
      </Card>
    </div>
  )
}
