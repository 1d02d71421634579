import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation } from '@tanstack/react-query'
import { disableTwoFactor } from '@/api/auth'
import { applyApiErrors, rateLimitMessage, toApiError } from '@/api/errors'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import {
  DISABLE_TWO_FACTOR_FIELDS,
  disableTwoFactorSchema,
  normaliseCode,
  type DisableTwoFactorValues,
} from '@/features/auth/schemas'

const WRONG_PASSWORD = 'That password is not right.'
const INVALID_CODE = 'That code is not valid. Use the newest code from your app, or an unused recovery code.'

/** Turning two-factor off takes the password and a current code (POST /api/auth/2fa/disable/). */
export function DisableTwoFactorForm({ onDisabled, onCancel }: { onDisabled: () => void; onCancel: () => void }) {
  const [formError, setFormError] = useState<string | null>(null)
  const { mutateAsync } = useMutation({ mutationFn: disableTwoFactor })
  const {
    register,
    handleSubmit,
    setError,
    resetField,
    formState: { errors, isSubmitting },
  } = useForm<DisableTwoFactorValues>({
    resolver: zodResolver(disableTwoFactorSchema),
    defaultValues: { password: '', code: '' },
  })

  const onSubmit = handleSubmit(async ({ password, code }) => {
    setFormError(null)
    try {
      await mutateAsync({ password, code: normaliseCode(code) })
      onDisabled()
    } catch (error) {
      const apiError = toApiError(error)
      // A 401 here is the password check failing; the API client keeps the session.
      if (apiError.status === 401) {
        resetField('password')
        setError('password', { type: 'server', message: WRONG_PASSWORD }, { shouldFocus: true })
        return
      }
      if (apiError.code === 'invalid_code') {
        resetField('code')
        setError('code', { type: 'server', message: INVALID_CODE }, { shouldFocus: true })
        return
      }
      if (apiError.status === 429) {
        setFormError(rateLimitMessage(error, 'Too many wrong attempts.'))
        return
      }
      setFormError(applyApiErrors(apiError, setError, DISABLE_TWO_FACTOR_FIELDS))
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Turn off two-factor">
      <p className="text-sm text-slate-700">
        Without two-factor, your password alone signs you in. Confirm with your password and a code from your app (or a
        recovery code).
      </p>
      {formError && <Alert tone="error">{formError}</Alert>}
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField label="Password" error={errors.password?.message}>
          <Input type="password" autoComplete="current-password" {...register('password')} />
        </FormField>
        <FormField label="Code" error={errors.code?.message} hint="6 digits from the app, or a recovery code.">
          <Input autoComplete="one-time-code" spellCheck={false} autoCapitalize="none" maxLength={64} className="font-mono" {...register('code')} />
        </FormField>
      </div>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="ghost" onClick={onCancel} disabled={isSubmitting}>
          Cancel
        </Button>
        <Button type="submit" variant="destructive" disabled={isSubmitting}>
          {isSubmitting && <Spinner />}
          Turn off two-factor
        </Button>
      </div>
    </form>
  )
}
