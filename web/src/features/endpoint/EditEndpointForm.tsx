import { useMemo, useState } from 'react'
import { useForm, type Resolver } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { updateEndpoint, type EndpointPatch } from '@/api/endpoints'
import { applyApiErrors, toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import type { Endpoint } from '@/api/types'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input, inputClasses } from '@/components/ui/input'
import { RegionsField } from '@/components/RegionsField'
import { Spinner } from '@/components/ui/spinner'
import { useMinInterval } from '@/hooks/usePlans'
import { useRegions } from '@/hooks/useRegions'
import { MAX_INTERVAL_SECONDS } from '@/lib/endpointFields'
import { kindOf, MAX_GRACE_SECONDS, RECORD_TYPES, targetInput, toDnsUrl, toTcpUrl } from '@/lib/endpointKinds'
import { appendRegion, maxRegionsOf, parseRegions, regionsInput } from '@/lib/regions'
import {
  EDIT_ENDPOINT_FIELDS,
  EDIT_FIELDS_BY_KIND,
  editEndpointSchema,
  METHODS,
  REGION_FIELDS,
  type EditEndpointValues,
} from './editSchema'

function toValues(endpoint: Endpoint): EditEndpointValues {
  const method = (METHODS as readonly string[]).includes(endpoint.method) ? endpoint.method : 'GET'
  return {
    name: endpoint.name ?? '',
    url: targetInput(endpoint),
    method: method as EditEndpointValues['method'],
    interval_seconds: endpoint.interval_seconds,
    timeout_ms: endpoint.timeout_ms,
    expected_status: endpoint.expected_status ?? null,
    keyword: endpoint.keyword ?? '',
    record_type: endpoint.record_type ?? 'A',
    expected_value: endpoint.expected_value ?? '',
    grace_seconds: endpoint.grace_seconds ?? 0,
    regions: regionsInput(endpoint.regions),
    min_failing_regions: endpoint.min_failing_regions ?? null,
  }
}

/** A changed field as the API takes it: a kind's own URL form, "" as null. */
function patchValue(field: keyof EditEndpointValues, values: EditEndpointValues, kind: Endpoint['kind']) {
  if (field === 'keyword') return values.keyword || null
  if (field === 'expected_value') return values.expected_value.trim() || null
  if (field === 'regions') return parseRegions(values.regions)
  if (field === 'min_failing_regions') return values.min_failing_regions ?? null
  if (field === 'url' && kind === 'tcp') return toTcpUrl(values.url)
  if (field === 'url' && kind === 'dns') return toDnsUrl(values.url)
  return values[field]
}

const optionalNumber = (value: unknown) => (value === '' || value === null || value === undefined ? null : Number(value))

export function EditEndpointForm({ endpoint }: { endpoint: Endpoint }) {
  const queryClient = useQueryClient()
  // Undefined until the plans have loaded (or when they cannot): the server checks then.
  const minInterval = useMinInterval()
  // An interval set under an earlier plan (before a downgrade) may stay as it is.
  const allowedMin = minInterval === undefined ? undefined : Math.min(minInterval, endpoint.interval_seconds)
  const kind = kindOf(endpoint)
  // A backend without regions sends no `regions`: its form has no region fields.
  const hasRegions = endpoint.regions !== undefined
  const shown: readonly string[] = EDIT_FIELDS_BY_KIND[kind].filter(
    (field) => hasRegions || !(REGION_FIELDS as readonly string[]).includes(field),
  )
  // The known checker regions; until they are (or when the call fails) the field is free text.
  const regions = useRegions(shown.includes('regions'))
  const maxRegions = maxRegionsOf(regions.data)
  const schema = useMemo(() => editEndpointSchema(allowedMin, kind, maxRegions), [allowedMin, kind, maxRegions])
  const [formError, setFormError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)
  const {
    register,
    handleSubmit,
    setError,
    reset,
    getValues,
    setValue,
    formState: { errors, dirtyFields, isDirty, isSubmitted, isSubmitting },
  } = useForm<EditEndpointValues>({
    resolver: zodResolver(schema) as unknown as Resolver<EditEndpointValues>,
    values: toValues(endpoint),
    resetOptions: { keepDirtyValues: true },
  })

  const update = useMutation({
    mutationFn: (patch: EndpointPatch) => updateEndpoint(endpoint.id, patch),
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKeys.endpoint(endpoint.id), updated)
      void queryClient.invalidateQueries({ queryKey: queryKeys.endpoints })
    },
  })

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null)
    setSaved(false)
    // Send only what changed.
    const patch: Record<string, unknown> = {}
    for (const field of EDIT_ENDPOINT_FIELDS) {
      if (dirtyFields[field] && shown.includes(field)) patch[field] = patchValue(field, values, kind)
    }
    if (!Object.keys(patch).length) return
    try {
      const updated = await update.mutateAsync(patch as EndpointPatch)
      reset(toValues(updated))
      setSaved(true)
    } catch (error) {
      setFormError(applyApiErrors(toApiError(error), setError, EDIT_ENDPOINT_FIELDS))
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Edit endpoint" className="space-y-4">
      {formError && <Alert tone="error">{formError}</Alert>}
      {saved && !isDirty && <Alert tone="success">Changes saved.</Alert>}
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField label="Name" error={errors.name?.message}>
          <Input {...register('name')} />
        </FormField>
        {shown.includes('url') && (
          <FormField label={kind === 'tcp' ? 'Host and port' : kind === 'dns' ? 'Host name' : 'URL'} error={errors.url?.message}>
            <Input type={kind === 'http' ? 'url' : 'text'} inputMode={kind === 'http' ? 'url' : undefined} spellCheck={false} {...register('url')} />
          </FormField>
        )}
        {shown.includes('method') && (
          <FormField label="Method" error={errors.method?.message}>
            <select className={inputClasses} {...register('method')}>
              {METHODS.map((method) => (
                <option key={method} value={method}>
                  {method}
                </option>
              ))}
            </select>
          </FormField>
        )}
        {shown.includes('record_type') && (
          <FormField label="Record type" error={errors.record_type?.message}>
            <select className={inputClasses} {...register('record_type')}>
              {RECORD_TYPES.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </FormField>
        )}
        {shown.includes('expected_value') && (
          <FormField label="Expected value" error={errors.expected_value?.message} hint="Empty accepts any answer.">
            <Input placeholder="optional" spellCheck={false} {...register('expected_value')} />
          </FormField>
        )}
        <FormField
          label={kind === 'heartbeat' ? 'Expected every (seconds)' : 'Check interval (seconds)'}
          error={errors.interval_seconds?.message}
          hint={minInterval === undefined ? undefined : `Your plan allows ${minInterval} s or more.`}
        >
          <Input type="number" inputMode="numeric" min={allowedMin} max={MAX_INTERVAL_SECONDS} {...register('interval_seconds', { valueAsNumber: true })} />
        </FormField>
        {shown.includes('grace_seconds') && (
          <FormField label="Grace period (seconds)" error={errors.grace_seconds?.message} hint="How late a ping may be before it counts as missed.">
            <Input type="number" inputMode="numeric" min={0} max={MAX_GRACE_SECONDS} {...register('grace_seconds', { valueAsNumber: true })} />
          </FormField>
        )}
        {shown.includes('timeout_ms') && (
          <FormField label="Timeout (ms)" error={errors.timeout_ms?.message} hint="1,000 – 30,000 ms">
            <Input type="number" inputMode="numeric" min={1000} max={30_000} step={500} {...register('timeout_ms', { valueAsNumber: true })} />
          </FormField>
        )}
        {shown.includes('expected_status') && (
          <FormField label="Expected status" error={errors.expected_status?.message} hint="Empty accepts any 2xx or 3xx.">
            <Input type="number" inputMode="numeric" min={100} max={599} placeholder="200" {...register('expected_status', { setValueAs: optionalNumber })} />
          </FormField>
        )}
        {shown.includes('regions') && (
          <RegionsField
            input={register('regions')}
            error={errors.regions?.message}
            hint="Names separated by commas or spaces; empty for all regions with a live checker."
            regions={regions.data?.regions}
            onPick={(name) =>
              setValue('regions', appendRegion(getValues('regions'), name), { shouldDirty: true, shouldValidate: isSubmitted })
            }
          />
        )}
        {shown.includes('min_failing_regions') && (
          <FormField label="Min failing regions" error={errors.min_failing_regions?.message} hint="How many regions must fail to mark it down; empty for a majority.">
            <Input type="number" inputMode="numeric" min={1} max={maxRegions} step={1} placeholder="Majority" {...register('min_failing_regions', { setValueAs: optionalNumber })} />
          </FormField>
        )}
        {shown.includes('keyword') && (
          <FormField label="Keyword in body" error={errors.keyword?.message} hint="The check fails when this text is missing." className="sm:col-span-2">
            <Input placeholder="optional" {...register('keyword')} />
          </FormField>
        )}
      </div>
      <div className="flex justify-end gap-2">
        <Button variant="outline" disabled={!isDirty || isSubmitting} onClick={() => reset(toValues(endpoint))}>
          Discard
        </Button>
        <Button type="submit" disabled={!isDirty || isSubmitting}>
          {isSubmitting && <Spinner />}
          Save changes
        </Button>
      </div>
    </form>
  )
}
