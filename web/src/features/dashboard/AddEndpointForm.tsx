import { useEffect, useMemo, useState } from 'react'
import { useForm, useWatch, type Resolver } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { createEndpoint } from '@/api/endpoints'
import { applyApiErrors, toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input, inputClasses } from '@/components/ui/input'
import { RegionsField } from '@/components/RegionsField'
import { Spinner } from '@/components/ui/spinner'
import { useMinInterval } from '@/hooks/usePlans'
import { useRegions } from '@/hooks/useRegions'
import { DEFAULT_INTERVAL_SECONDS, MAX_INTERVAL_SECONDS } from '@/lib/endpointFields'
import { ENDPOINT_KINDS, KIND_LABELS, MAX_GRACE_SECONDS, RECORD_TYPES } from '@/lib/endpointKinds'
import { cn } from '@/lib/cn'
import { appendRegion, maxRegionsOf } from '@/lib/regions'
import type { EndpointKind } from '@/api/types'
import { usePlan } from '@/stores/plan'
import { ADD_ENDPOINT_FIELDS, addEndpointInput, addEndpointSchema, type AddEndpointValues } from './endpointSchema'

/** The target field of each kind (a heartbeat has none: it is pinged). */
const TARGET: Record<Exclude<EndpointKind, 'heartbeat'>, { label: string; placeholder: string; type: 'url' | 'text' }> = {
  http: { label: 'URL', placeholder: 'https://example.com/health', type: 'url' },
  tcp: { label: 'Host and port', placeholder: 'db.example.com:5432', type: 'text' },
  dns: { label: 'Host name', placeholder: 'example.com', type: 'text' },
}

/** What an expected value of each record type looks like. */
const EXPECTED_EXAMPLE: Record<(typeof RECORD_TYPES)[number], string> = {
  A: '93.184.216.34',
  AAAA: '2606:2800:220:1::248',
  CNAME: 'edge.example.net',
  MX: 'mx1.example.com',
  TXT: 'v=spf1 -all',
}

const EMPTY = {
  url: '',
  name: '',
  record_type: 'A',
  expected_value: '',
  grace_seconds: 0,
  regions: '',
  min_failing_regions: null,
} as const

/** An empty number field is null ("use the default"). */
const optionalNumber = (value: unknown) => (value === '' || value === null || value === undefined ? null : Number(value))

/** Each field's share of a row on wide screens; the row wraps as the kind adds fields. */
const WIDE = 'md:min-w-48 md:flex-[2]'
const NARROW = 'md:w-32 md:flex-none'

interface AddEndpointFormProps {
  disabled: boolean
  onAdded: () => void
}

export function AddEndpointForm({ disabled, onAdded }: AddEndpointFormProps) {
  const queryClient = useQueryClient()
  const markLimitReached = usePlan((s) => s.markLimitReached)
  // Undefined until the plans have loaded (or when they cannot): the server checks then.
  const minInterval = useMinInterval()
  // The known checker regions (the form opens on http, which has a Regions field); until
  // they are known, or when the call fails, the field is free text.
  const regions = useRegions()
  const maxRegions = maxRegionsOf(regions.data)
  // One schema per kind; the resolver picks the one of the kind being submitted.
  const resolver = useMemo<Resolver<AddEndpointValues>>(() => {
    const resolvers = Object.fromEntries(
      ENDPOINT_KINDS.map((k) => [k, zodResolver(addEndpointSchema(minInterval, k, maxRegions)) as unknown as Resolver<AddEndpointValues>]),
    ) as Record<EndpointKind, Resolver<AddEndpointValues>>
    return (values, context, options) => resolvers[values.kind](values, context, options)
  }, [minInterval, maxRegions])
  const [formError, setFormError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const defaultInterval = Math.max(DEFAULT_INTERVAL_SECONDS, minInterval ?? 0)
  const {
    register,
    handleSubmit,
    setError,
    reset,
    getFieldState,
    getValues,
    setValue,
    clearErrors,
    control,
    formState: { errors, isSubmitted, isSubmitting },
  } = useForm<AddEndpointValues>({
    resolver,
    defaultValues: { ...EMPTY, kind: 'http', interval_seconds: defaultInterval },
  })
  const kind = useWatch({ control, name: 'kind' })
  const recordType = useWatch({ control, name: 'record_type' })

  // The plan's minimum may arrive after the form: lift an untouched default up to it.
  useEffect(() => {
    if (!getFieldState('interval_seconds').isDirty) setValue('interval_seconds', defaultInterval)
  }, [defaultInterval, getFieldState, setValue])

  const create = useMutation({ mutationFn: createEndpoint })

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null)
    setNotice(null)
    try {
      const endpoint = await create.mutateAsync(addEndpointInput(values))
      reset({ ...EMPTY, kind: values.kind, interval_seconds: values.interval_seconds })
      setNotice(
        values.kind === 'heartbeat'
          ? `Added ${endpoint.name}. Open it for its ping URL.`
          : `Added ${endpoint.name || endpoint.url}. Its first check runs now.`,
      )
      onAdded()
    } catch (error) {
      const apiError = toApiError(error)
      if (apiError.status === 403 && apiError.code === 'plan_limit_reached') {
        markLimitReached()
        return
      }
      if (apiError.code === 'duplicate_endpoint' && !apiError.errors.url) {
        setError('url', { type: 'server', message: apiError.detail }, { shouldFocus: true })
        return
      }
      setFormError(applyApiErrors(apiError, setError, ADD_ENDPOINT_FIELDS))
    } finally {
      void queryClient.invalidateQueries({ queryKey: queryKeys.endpoints })
      void queryClient.invalidateQueries({ queryKey: queryKeys.me })
    }
  })

  const busy = isSubmitting || create.isPending
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Add an endpoint" className="space-y-3">
      {formError && <Alert tone="error">{formError}</Alert>}
      {notice && !formError && <Alert tone="success">{notice}</Alert>}
      <fieldset disabled={disabled || busy} className="flex flex-col gap-3 md:flex-row md:flex-wrap md:items-start">
        <legend className="sr-only">New endpoint</legend>
        <FormField label="Kind" error={errors.kind?.message} className={NARROW}>
          {/* Errors of the kind left behind go with it. */}
          <select className={inputClasses} {...register('kind', { onChange: () => clearErrors() })}>
            {ENDPOINT_KINDS.map((value) => (
              <option key={value} value={value}>
                {KIND_LABELS[value]}
              </option>
            ))}
          </select>
        </FormField>
        {kind !== 'heartbeat' && (
          <FormField label={TARGET[kind].label} error={errors.url?.message} className={cn(WIDE, 'md:flex-[3]')}>
            <Input
              type={TARGET[kind].type}
              inputMode={TARGET[kind].type === 'url' ? 'url' : undefined}
              placeholder={TARGET[kind].placeholder}
              autoComplete="off"
              spellCheck={false}
              {...register('url')}
            />
          </FormField>
        )}
        {kind === 'dns' && (
          <>
            <FormField label="Record type" error={errors.record_type?.message} className={NARROW}>
              <select className={inputClasses} {...register('record_type')}>
                {RECORD_TYPES.map((value) => (
                  <option key={value} value={value}>
                    {value}
                  </option>
                ))}
              </select>
            </FormField>
            <FormField label="Expected value (optional)" error={errors.expected_value?.message} className={WIDE}>
              <Input placeholder={EXPECTED_EXAMPLE[recordType]} autoComplete="off" spellCheck={false} {...register('expected_value')} />
            </FormField>
          </>
        )}
        <FormField label="Name (optional)" error={errors.name?.message} className={WIDE}>
          <Input placeholder={kind === 'heartbeat' ? 'Nightly backup' : 'Marketing site'} {...register('name')} />
        </FormField>
        <FormField label={kind === 'heartbeat' ? 'Every (s)' : 'Interval (s)'} error={errors.interval_seconds?.message} className={NARROW}>
          <Input
            type="number"
            inputMode="numeric"
            min={minInterval}
            max={MAX_INTERVAL_SECONDS}
            step={1}
            {...register('interval_seconds', { valueAsNumber: true })}
          />
        </FormField>
        {kind !== 'heartbeat' && (
          <>
            {/* On wide screens the regions start a row of their own, ahead of the button. */}
            <div aria-hidden="true" className="hidden md:block md:h-0 md:basis-full" />
            <RegionsField
              className={WIDE}
              input={register('regions')}
              error={errors.regions?.message}
              regions={regions.data?.regions}
              onPick={(name) =>
                setValue('regions', appendRegion(getValues('regions'), name), { shouldDirty: true, shouldValidate: isSubmitted })
              }
            />
            <FormField label="Min failing regions" error={errors.min_failing_regions?.message} className="md:w-40 md:flex-none">
              <Input
                type="number"
                inputMode="numeric"
                min={1}
                max={maxRegions}
                step={1}
                placeholder="Majority"
                {...register('min_failing_regions', { setValueAs: optionalNumber })}
              />
            </FormField>
          </>
        )}
        {kind === 'heartbeat' && (
          <FormField label="Grace (s)" error={errors.grace_seconds?.message} className={NARROW}>
            <Input
              type="number"
              inputMode="numeric"
              min={0}
              max={MAX_GRACE_SECONDS}
              step={1}
              {...register('grace_seconds', { valueAsNumber: true })}
            />
          </FormField>
        )}
        <div className="md:pt-6">
          <Button type="submit" className="w-full md:w-auto" disabled={disabled || busy}>
            {busy && <Spinner />}
            Add endpoint
          </Button>
        </div>
      </fieldset>
      {kind === 'heartbeat' && (
        <p className="text-xs text-slate-500">
          A heartbeat is not checked by us: your job calls its ping URL. No ping within the interval plus the grace
          period marks it down.
        </p>
      )}
    </form>
  )
}
