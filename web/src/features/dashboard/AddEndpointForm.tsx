import { useEffect, useMemo, useState } from 'react'
import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { createEndpoint } from '@/api/endpoints'
import { applyApiErrors, toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { useMinInterval } from '@/hooks/usePlans'
import { DEFAULT_INTERVAL_SECONDS, MAX_INTERVAL_SECONDS } from '@/lib/endpointFields'
import { usePlan } from '@/stores/plan'
import { ADD_ENDPOINT_FIELDS, addEndpointSchema, type AddEndpointValues } from './endpointSchema'

interface AddEndpointFormProps {
  disabled: boolean
  onAdded: () => void
}

export function AddEndpointForm({ disabled, onAdded }: AddEndpointFormProps) {
  const queryClient = useQueryClient()
  const markLimitReached = usePlan((s) => s.markLimitReached)
  // Undefined until the plans have loaded (or when they cannot): the server checks then.
  const minInterval = useMinInterval()
  const schema = useMemo(() => addEndpointSchema(minInterval), [minInterval])
  const [formError, setFormError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const defaultInterval = Math.max(DEFAULT_INTERVAL_SECONDS, minInterval ?? 0)
  const {
    register,
    handleSubmit,
    setError,
    reset,
    getFieldState,
    setValue,
    formState: { errors, isSubmitting },
  } = useForm<AddEndpointValues>({
    resolver: zodResolver(schema),
    defaultValues: { url: '', name: '', interval_seconds: defaultInterval },
  })

  // The plan's minimum may arrive after the form: lift an untouched default up to it.
  useEffect(() => {
    if (!getFieldState('interval_seconds').isDirty) setValue('interval_seconds', defaultInterval)
  }, [defaultInterval, getFieldState, setValue])

  const create = useMutation({ mutationFn: createEndpoint })

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null)
    setNotice(null)
    try {
      const endpoint = await create.mutateAsync({
        url: values.url,
        interval_seconds: values.interval_seconds,
        ...(values.name ? { name: values.name } : {}),
      })
      reset({ url: '', name: '', interval_seconds: values.interval_seconds })
      setNotice(`Added ${endpoint.name || endpoint.url}. Its first check runs now.`)
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
      <fieldset disabled={disabled || busy} className="grid gap-3 md:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_9rem_auto] md:items-start">
        <legend className="sr-only">New endpoint</legend>
        <FormField label="URL" error={errors.url?.message}>
          <Input type="url" inputMode="url" placeholder="https://example.com/health" {...register('url')} />
        </FormField>
        <FormField label="Name (optional)" error={errors.name?.message}>
          <Input placeholder="Marketing site" {...register('name')} />
        </FormField>
        <FormField label="Interval (s)" error={errors.interval_seconds?.message}>
          <Input
            type="number"
            inputMode="numeric"
            min={minInterval}
            max={MAX_INTERVAL_SECONDS}
            step={1}
            {...register('interval_seconds', { valueAsNumber: true })}
          />
        </FormField>
        <div className="md:pt-6">
          <Button type="submit" className="w-full md:w-auto" disabled={disabled || busy}>
            {busy && <Spinner />}
            Add endpoint
          </Button>
        </div>
      </fieldset>
    </form>
  )
}
