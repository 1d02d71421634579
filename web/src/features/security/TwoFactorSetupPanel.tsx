import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation } from '@tanstack/react-query'
import { confirmTwoFactor } from '@/api/auth'
import { applyApiErrors, rateLimitMessage, toApiError } from '@/api/errors'
import type { TwoFactorSetup } from '@/api/types'
import { QrCode } from '@/components/QrCode'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { confirmTwoFactorSchema, normaliseCode, type ConfirmTwoFactorValues } from '@/features/auth/schemas'

const INVALID_CODE = "That code did not match. Enter the newest code from the app; if it still fails, check your phone's clock."

/** "JBSW Y3DP EHPK 3PXP": the key in groups of four, easier to type from the screen. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ')
}

interface SetupPanelProps {
  setup: TwoFactorSetup
  onEnabled: (recoveryCodes: string[]) => void
  onCancel: () => void
}

/** Step two of turning on two-factor: add the key to an app, then prove it with a code. */
export function TwoFactorSetupPanel({ setup, onEnabled, onCancel }: SetupPanelProps) {
  const [formError, setFormError] = useState<string | null>(null)
  // The answer carries the recovery codes: kept out of the mutation cache once done.
  const { mutateAsync } = useMutation({ mutationFn: confirmTwoFactor, gcTime: 0 })
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ConfirmTwoFactorValues>({
    resolver: zodResolver(confirmTwoFactorSchema),
    defaultValues: { code: '' },
  })

  const onSubmit = handleSubmit(async ({ code }) => {
    setFormError(null)
    try {
      const { recovery_codes: codes } = await mutateAsync(normaliseCode(code))
      onEnabled(codes)
    } catch (error) {
      const apiError = toApiError(error)
      if (apiError.code === 'invalid_code') {
        setError('code', { type: 'server', message: INVALID_CODE }, { shouldFocus: true })
        return
      }
      if (apiError.status === 429) {
        setFormError(rateLimitMessage(error, 'Too many wrong codes.'))
        return
      }
      setFormError(applyApiErrors(apiError, setError, ['code']))
    }
  })

  return (
    <div className="space-y-5" data-testid="two-factor-setup">
      <ol className="space-y-5 text-sm text-slate-700">
        <li className="flex flex-col gap-4 sm:flex-row sm:items-start">
          <QrCode value={setup.otpauth_url} label="QR code to add StatusWatch to your authenticator app" className="mx-auto sm:mx-0" />
          <div className="min-w-0 space-y-2">
            <p>
              <span className="font-semibold text-slate-900">1. Scan this QR code</span> with an authenticator app
              (Google Authenticator, 1Password, Authy, or any app for time-based codes).
            </p>
            <p>Can&rsquo;t scan it? Add an account by hand with this key (time-based, 6 digits, every 30 seconds):</p>
            <code
              className="block select-all wrap-anywhere rounded-md bg-slate-100 px-3 py-2 font-mono text-sm tracking-wide text-slate-900"
              aria-label="Set-up key"
              data-testid="two-factor-secret"
            >
              {groupSecret(setup.secret)}
            </code>
          </div>
        </li>
        <li>
          <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Confirm two-factor">
            <p>
              <span className="font-semibold text-slate-900">2. Enter the 6-digit code</span> the app now shows for
              StatusWatch.
            </p>
            {formError && <Alert tone="error">{formError}</Alert>}
            <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
              <FormField label="Code from the app" error={errors.code?.message} className="sm:w-56">
                <Input
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  placeholder="123456"
                  maxLength={12}
                  className="font-mono tracking-widest"
                  {...register('code')}
                />
              </FormField>
              <div className="flex gap-2 sm:mt-6">
                <Button type="submit" disabled={isSubmitting} className="flex-1 sm:flex-none">
                  {isSubmitting && <Spinner />}
                  Turn on two-factor
                </Button>
                <Button variant="ghost" onClick={onCancel} disabled={isSubmitting} className="flex-1 sm:flex-none">
                  Cancel
                </Button>
              </div>
            </div>
          </form>
        </li>
      </ol>
    </div>
  )
}
