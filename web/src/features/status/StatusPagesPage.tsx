import { useState } from 'react'
import { Controller, useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { applyApiErrors, rateLimitMessage, toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import { createStatusPage, deleteStatusPage, listStatusPages, listSubscribers, updateStatusPage } from '@/api/status'
import type { StatusPage } from '@/api/types'
import { ConfirmDeleteDialog } from '@/components/ConfirmDeleteDialog'
import { Pagination } from '@/components/Pagination'
import { TonePill } from '@/components/TonePill'
import { Alert } from '@/components/ui/alert'
import { Button, buttonVariants } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { FormField } from '@/components/ui/form-field'
import { Input, inputClasses } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/skeleton'
import { Spinner } from '@/components/ui/spinner'
import { Switch } from '@/components/ui/switch'
import { canManageOrganisation, useServerRole } from '@/hooks/useRole'
import { formatDate } from '@/lib/format'
import { SUBSCRIBER_LABELS } from '@/lib/status'
import { cn } from '@/lib/cn'
import { EndpointPicker, endpointNames, useEndpointChoices } from './EndpointPicker'
import { NEW_STATUS_PAGE, statusPageSchema, type StatusPageValues } from './schemas'

const PAGE_SIZE = 20
const SUBSCRIBER_PAGE_SIZE = 20
const FIELDS = ['slug', 'title', 'description', 'public', 'endpoint_ids'] as const

function valuesOf(page?: StatusPage): StatusPageValues {
  if (!page) return NEW_STATUS_PAGE
  return { slug: page.slug, title: page.title, description: page.description ?? '', public: page.public, endpoint_ids: page.endpoint_ids }
}

function StatusPageForm({ editing, onDone }: { editing?: StatusPage; onDone: () => void }) {
  const queryClient = useQueryClient()
  const [formError, setFormError] = useState<string | null>(null)
  const {
    register,
    control,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<StatusPageValues>({ resolver: zodResolver(statusPageSchema), defaultValues: valuesOf(editing) })

  const submit = handleSubmit(async (values) => {
    setFormError(null)
    const input = { ...values, description: values.description || null }
    try {
      if (editing) await updateStatusPage(editing.id, input)
      else await createStatusPage(input)
      await queryClient.invalidateQueries({ queryKey: queryKeys.statusPages })
      reset(NEW_STATUS_PAGE)
      onDone()
    } catch (error) {
      const apiError = toApiError(error)
      if (apiError.status === 409 && apiError.code === 'duplicate_slug') {
        setError('slug', { type: 'server', message: 'This address is taken (by this or another organisation). Choose another.' }, { shouldFocus: true })
        return
      }
      setFormError(apiError.status === 429 ? rateLimitMessage(error, 'Too many requests.') : applyApiErrors(apiError, setError, FIELDS))
    }
  })

  return (
    <form onSubmit={submit} noValidate aria-label={editing ? 'Edit the status page' : 'Create a status page'} className="space-y-4">
      {formError && <Alert tone="error">{formError}</Alert>}
      <fieldset disabled={isSubmitting} className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField label="Title" error={errors.title?.message}>
            <Input autoComplete="off" placeholder="Acme status" {...register('title')} />
          </FormField>
          <FormField label="Address" error={errors.slug?.message} hint="/status/… — lower-case letters, digits and hyphens.">
            <Input autoComplete="off" autoCapitalize="none" spellCheck={false} placeholder="acme" {...register('slug')} />
          </FormField>
        </div>
        <FormField label="Description (optional)" error={errors.description?.message}>
          <textarea rows={2} className={cn(inputClasses, 'h-auto py-2')} {...register('description')} />
        </FormField>
        <Switch label="Public: visible to anyone with the link" {...register('public')} />
        <Controller
          control={control}
          name="endpoint_ids"
          render={({ field }) => (
            <EndpointPicker legend="Components" hint="The endpoints the page shows, in the order ticked." value={field.value} onChange={field.onChange} />
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
            {editing ? 'Save page' : 'Create page'}
          </Button>
        </div>
      </fieldset>
    </form>
  )
}

function Subscribers({ page }: { page: StatusPage }) {
  const [number, setNumber] = useState(1)
  const list = useQuery({
    queryKey: queryKeys.subscribers(page.id, number),
    queryFn: () => listSubscribers(page.id, number, SUBSCRIBER_PAGE_SIZE),
  })
  return (
    <div className="space-y-3 rounded-lg bg-slate-50 p-4" data-testid="subscribers">
      <h3 className="text-sm font-semibold text-slate-900">Subscribers</h3>
      {list.isPending ? (
        <Skeleton className="h-10" />
      ) : list.isError ? (
        <Alert tone="error">{toApiError(list.error).detail}</Alert>
      ) : list.data.results.length === 0 ? (
        <p className="text-sm text-slate-600">No one has subscribed yet.</p>
      ) : (
        <ul className="divide-y divide-slate-200 text-sm">
          {list.data.results.map((s) => (
            <li key={s.id} className="flex items-center justify-between gap-3 py-2" data-testid="subscriber-row">
              <span className="min-w-0 break-all text-slate-900">{s.email}</span>
              <span className="flex shrink-0 items-center gap-2">
                <span className="hidden text-xs text-slate-500 sm:inline">{formatDate(s.created_at)}</span>
                <TonePill label={SUBSCRIBER_LABELS[s.state]?.label ?? s.state} tone={SUBSCRIBER_LABELS[s.state]?.tone ?? 'grey'} status={s.state} />
              </span>
            </li>
          ))}
        </ul>
      )}
      {list.data && list.data.count > SUBSCRIBER_PAGE_SIZE && (
        <Pagination page={number} pageSize={SUBSCRIBER_PAGE_SIZE} count={list.data.count} onPageChange={setNumber} emptyLabel="No subscribers" label="Subscriber pages" />
      )}
    </div>
  )
}

/** /status-pages: the organisation's public pages; owners and admins change them, members read. */
export function StatusPagesPage() {
  const role = useServerRole()
  const canManage = canManageOrganisation(role)
  const queryClient = useQueryClient()
  const [page, setPage] = useState(1)
  const [editing, setEditing] = useState<StatusPage | null>(null)
  const [showSubscribers, setShowSubscribers] = useState<string | null>(null)
  const list = useQuery({ queryKey: queryKeys.statusPagePage(page, PAGE_SIZE), queryFn: () => listStatusPages(page, PAGE_SIZE) })
  const endpoints = useEndpointChoices()
  const remove = useMutation({
    mutationFn: deleteStatusPage,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.statusPages }),
  })

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Status pages</h1>
        <p className="text-sm text-slate-600">Public pages that show your endpoints&rsquo; state, incidents and maintenance, with e-mail updates.</p>
      </div>
      {!role ? (
        <Skeleton className="h-24" />
      ) : canManage ? (
        <Card>
          <CardHeader>
            <CardTitle>{editing ? `Edit “${editing.title}”` : 'Create a status page'}</CardTitle>
            <CardDescription>Addresses are unique across StatusWatch.</CardDescription>
          </CardHeader>
          <CardContent>
            <StatusPageForm key={editing?.id ?? 'new'} editing={editing ?? undefined} onDone={() => setEditing(null)} />
          </CardContent>
        </Card>
      ) : (
        <Alert tone="info" data-testid="status-pages-read-only">
          Only owners and admins can create and change status pages.
        </Alert>
      )}
      <Card>
        <CardHeader>
          <CardTitle>Pages</CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          {list.isPending ? (
            <Skeleton className="h-24" />
          ) : list.isError ? (
            <Alert tone="error">{toApiError(list.error).detail}</Alert>
          ) : list.data.results.length === 0 ? (
            <p className="text-sm text-slate-600">No status pages yet.</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {list.data.results.map((item) => {
                const names = endpointNames(item.endpoint_ids, endpoints.data?.results)
                return (
                  <li key={item.id} className="space-y-3 py-3 first:pt-0" data-testid="status-page-row">
                    <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
                      <div className="min-w-0 flex-1 space-y-1">
                        <div className="flex flex-wrap items-center gap-2">
                          <span className="break-words font-medium text-slate-900">{item.title}</span>
                          <TonePill label={item.public ? 'Public' : 'Private'} tone={item.public ? 'green' : 'grey'} />
                        </div>
                        <Link
                          to="/status/$slug"
                          params={{ slug: item.slug }}
                          target="_blank"
                          rel="noopener"
                          className="block break-all text-sm text-brand-600 hover:underline"
                        >
                          /status/{item.slug}
                        </Link>
                        <p className="break-words text-xs text-slate-500">
                          {names.length ? names.join(', ') : 'No components'}
                        </p>
                      </div>
                      {canManage && (
                        <div className="flex flex-wrap gap-2">
                          <Button
                            variant="outline"
                            size="sm"
                            aria-expanded={showSubscribers === item.id}
                            onClick={() => setShowSubscribers(showSubscribers === item.id ? null : item.id)}
                          >
                            Subscribers
                          </Button>
                          <Button variant="outline" size="sm" onClick={() => setEditing(item)}>
                            Edit
                          </Button>
                          <ConfirmDeleteDialog
                            name={item.title}
                            title="Delete this status page?"
                            consequence="will stop being published and its subscribers will get no more e-mails. This cannot be undone."
                            onConfirm={async () => {
                              await remove.mutateAsync(item.id)
                              if (editing?.id === item.id) setEditing(null)
                            }}
                            trigger={
                              <Button variant="outline" size="sm" aria-label={`Delete ${item.title}`}>
                                Delete
                              </Button>
                            }
                          />
                        </div>
                      )}
                    </div>
                    {canManage && showSubscribers === item.id && <Subscribers page={item} />}
                  </li>
                )
              })}
            </ul>
          )}
          {list.data && (
            <Pagination page={page} pageSize={PAGE_SIZE} count={list.data.count} onPageChange={setPage} emptyLabel="No pages" label="Status page pages" />
          )}
        </CardContent>
      </Card>
      <p className="text-xs text-slate-500">
        Incidents and maintenance windows appear on every page that shows their endpoints.{' '}
        <Link to="/incidents" className={cn(buttonVariants({ variant: 'link', size: 'sm' }), 'h-auto')}>
          Go to incidents
        </Link>
      </p>
    </div>
  )
}
