import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { getNotificationSettings, updateNotificationSettings } from '@/api/notifications'
import { applyApiErrors, toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import type { NotificationSettings } from '@/api/types'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/skeleton'
import { Spinner } from '@/components/ui/spinner'
import { SETTINGS_FIELDS, settingsSchema, type SettingsValues } from './schemas'

function SettingsForm({ settings, canManage }: { settings: NotificationSettings; canManage: boolean }) {
  const queryClient = useQueryClient()
  const [formError, setFormError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isDirty, isSubmitting },
  } = useForm<SettingsValues>({
    resolver: zodResolver(settingsSchema),
    values: { debounce_minutes: settings.debounce_minutes, storm_threshold: settings.storm_threshold },
    resetOptions: { keepDirtyValues: true },
  })

  const save = useMutation({
    mutationFn: updateNotificationSettings,
    onSuccess: (updated) => queryClient.setQueryData(queryKeys.notificationSettings, updated),
  })

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null)
    setSaved(false)
    try {
      const updated = await save.mutateAsync(values)
      reset(updated)
      setSaved(true)
    } catch (error) {
      setFormError(applyApiErrors(toApiError(error), setError, SETTINGS_FIELDS))
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Delivery settings" className="space-y-4">
      {formError && <Alert tone="error">{formError}</Alert>}
      {saved && !isDirty && <Alert tone="success">Settings saved.</Alert>}
      <fieldset disabled={!canManage || isSubmitting} className="grid gap-4 sm:grid-cols-2">
        <legend className="sr-only">Debounce and storm control</legend>
        <FormField
          label="Debounce (minutes)"
          error={errors.debounce_minutes?.message}
          hint="0–1,440. After a message about an endpoint, its further changes within this time are logged, not sent; the final state always arrives."
        >
          <Input type="number" inputMode="numeric" min={0} max={1440} step={1} {...register('debounce_minutes', { valueAsNumber: true })} />
        </FormField>
        <FormField
          label="Storm threshold (changes a minute)"
          error={errors.storm_threshold?.message}
          hint="1–1,000. Beyond this many changes in one minute, a channel gets one digest instead of a message each."
        >
          <Input type="number" inputMode="numeric" min={1} max={1000} step={1} {...register('storm_threshold', { valueAsNumber: true })} />
        </FormField>
      </fieldset>
      {canManage && (
        <div className="flex justify-end gap-2">
          <Button variant="outline" disabled={!isDirty || isSubmitting} onClick={() => reset(settings)}>
            Discard
          </Button>
          <Button type="submit" disabled={!isDirty || isSubmitting}>
            {isSubmitting && <Spinner />}
            Save settings
          </Button>
        </div>
      )}
    </form>
  )
}

/** Debounce and storm control, for every channel of the organisation. */
export function SettingsCard({ canManage }: { canManage: boolean }) {
  const settings = useQuery({ queryKey: queryKeys.notificationSettings, queryFn: getNotificationSettings })
  return (
    <Card>
      <CardHeader>
        <CardTitle>Delivery settings</CardTitle>
        <CardDescription>How StatusWatch damps flapping endpoints and bursts of changes.</CardDescription>
      </CardHeader>
      <CardContent>
        {settings.isPending ? (
          <div className="grid gap-4 sm:grid-cols-2" aria-hidden="true">
            <Skeleton className="h-16" />
            <Skeleton className="h-16" />
          </div>
        ) : settings.isError ? (
          <Alert tone="error" title="Settings could not be loaded">
            {toApiError(settings.error).detail}
          </Alert>
        ) : (
          <SettingsForm settings={settings.data} canManage={canManage} />
        )}
      </CardContent>
    </Card>
  )
}
