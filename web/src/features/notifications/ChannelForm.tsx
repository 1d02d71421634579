import { useId, useState } from 'react'
import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { applyApiErrors, toApiError } from '@/api/errors'
import { ALERT_TYPES } from '@/api/types'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input, inputClasses } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { Switch } from '@/components/ui/switch'
import { ALERT_TYPE_LABELS, CHANNEL_KIND_LABELS } from '@/lib/alerts'
import { CHANNEL_FIELDS, CHANNEL_KINDS, channelSchema, TARGET_FIELD, type ChannelValues } from './schemas'

interface ChannelFormProps {
  /** What the form starts from: an empty channel, or the one being edited. */
  initial: ChannelValues
  /** Editing: the kind of a channel cannot change (PATCH does not take it). */
  editing?: boolean
  submitLabel: string
  /** Sends the values; throws the API's error, which the form places under its fields. */
  onSubmit: (values: ChannelValues) => Promise<void>
  onCancel?: () => void
  /** After a successful add the form starts over. */
  resetOnSuccess?: boolean
}

/** Kind, name, target, events and enabled: the add form and each channel's edit form. */
export function ChannelForm({ initial, editing = false, submitLabel, onSubmit, onCancel, resetOnSuccess }: ChannelFormProps) {
  const [formError, setFormError] = useState<string | null>(null)
  const eventsErrorId = useId()
  const {
    register,
    handleSubmit,
    setError,
    reset,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<ChannelValues>({ resolver: zodResolver(channelSchema), defaultValues: initial })
  const kind = watch('kind')
  const target = TARGET_FIELD[kind] ?? TARGET_FIELD.email

  const submit = handleSubmit(async (values) => {
    setFormError(null)
    try {
      await onSubmit(values)
      if (resetOnSuccess) reset(initial)
    } catch (error) {
      setFormError(applyApiErrors(toApiError(error), setError, CHANNEL_FIELDS))
    }
  })

  return (
    <form onSubmit={submit} noValidate aria-label={editing ? `Edit ${initial.name}` : 'Add a channel'} className="space-y-4">
      {formError && <Alert tone="error">{formError}</Alert>}
      <fieldset disabled={isSubmitting} className="space-y-4">
        <legend className="sr-only">{editing ? 'Channel settings' : 'New channel'}</legend>
        <div
          className={
            editing
              ? 'grid gap-4 sm:grid-cols-[minmax(0,1fr)_minmax(0,1.5fr)]'
              : 'grid gap-4 sm:grid-cols-[10rem_minmax(0,1fr)] lg:grid-cols-[10rem_minmax(0,1fr)_minmax(0,1.5fr)]'
          }
        >
          {/* A channel's kind is fixed once made (PATCH does not take it); the row above shows it. */}
          {!editing && (
            <FormField label="Kind" error={errors.kind?.message}>
              <select className={inputClasses} {...register('kind')}>
                {CHANNEL_KINDS.map((value) => (
                  <option key={value} value={value}>
                    {CHANNEL_KIND_LABELS[value]}
                  </option>
                ))}
              </select>
            </FormField>
          )}
          <FormField label="Name" error={errors.name?.message}>
            <Input placeholder="On-call team" autoComplete="off" {...register('name')} />
          </FormField>
          <FormField
            label={target.label}
            error={errors.target?.message}
            hint={target.hint}
            className={editing ? undefined : 'sm:col-span-2 lg:col-span-1'}
          >
            <Input
              type={target.type}
              inputMode={target.type}
              placeholder={target.placeholder}
              autoComplete="off"
              spellCheck={false}
              {...register('target')}
            />
          </FormField>
        </div>

        <fieldset aria-describedby={errors.events ? eventsErrorId : undefined}>
          <legend className="text-sm font-medium text-slate-700">Events</legend>
          <div className="mt-2 grid gap-x-4 gap-y-2 sm:grid-cols-2 lg:grid-cols-3">
            {ALERT_TYPES.map((type) => (
              <label key={type} className="inline-flex cursor-pointer items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" value={type} className="h-4 w-4 shrink-0 cursor-pointer accent-brand-600" {...register('events')} />
                {ALERT_TYPE_LABELS[type]}
              </label>
            ))}
          </div>
          {errors.events && (
            <p id={eventsErrorId} role="alert" className="mt-1.5 text-xs font-medium text-red-600">
              {errors.events.message}
            </p>
          )}
        </fieldset>

        <div className="flex flex-col gap-4 sm:flex-row sm:items-center sm:justify-between">
          <Switch label="Enabled" {...register('enabled')} />
          <div className="flex gap-2">
            {onCancel && (
              <Button variant="outline" onClick={onCancel} className="flex-1 sm:flex-none">
                Cancel
              </Button>
            )}
            <Button type="submit" className="flex-1 sm:flex-none">
              {isSubmitting && <Spinner />}
              {submitLabel}
            </Button>
          </div>
        </div>
      </fieldset>
    </form>
  )
}
