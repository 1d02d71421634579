import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import * as z from 'zod/mini'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { normaliseCode, recoveryCode, totpCode } from './schemas'

type Kind = 'totp' | 'recovery'

const schemas = {
  totp: z.object({ code: totpCode }),
  recovery: z.object({ code: recoveryCode }),
}

interface TwoFactorStepProps {
  /** Resolves with an error message to show under the field, or null when the sign-in went on. */
  onSubmit: (code: string) => Promise<string | null>
  onCancel: () => void
}

/** The second step of a sign-in with two-factor on: a code from the app, or a recovery code. */
export function TwoFactorStep({ onSubmit, onCancel }: TwoFactorStepProps) {
  const [kind, setKind] = useState<Kind>('totp')
  const {
    register,
    handleSubmit,
    setError,
    setFocus,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<{ code: string }>({
    resolver: zodResolver(schemas[kind]),
    defaultValues: { code: '' },
  })

  const submit = handleSubmit(async ({ code }) => {
    const problem = await onSubmit(normaliseCode(code))
    if (problem) {
      reset({ code: '' }, { keepErrors: false })
      setError('code', { type: 'server', message: problem }, { shouldFocus: true })
    }
  })

  const switchKind = () => {
    setKind(kind === 'totp' ? 'recovery' : 'totp')
    reset({ code: '' })
    window.setTimeout(() => setFocus('code'), 0)
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Two-factor code">
      <p className="text-sm text-slate-600">
        {kind === 'totp'
          ? 'Open your authenticator app and enter the 6-digit code it shows for StatusWatch.'
          : 'Enter one of the recovery codes you saved when you turned on two-factor. Each works once.'}
      </p>
      <FormField
        key={kind}
        label={kind === 'totp' ? 'Authentication code' : 'Recovery code'}
        error={errors.code?.message}
      >
        {kind === 'totp' ? (
          <Input
            autoFocus
            inputMode="numeric"
            autoComplete="one-time-code"
            placeholder="123456"
            maxLength={12}
            className="font-mono tracking-widest"
            {...register('code')}
          />
        ) : (
          <Input
            autoFocus
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={64}
            className="font-mono"
            {...register('code')}
          />
        )}
      </FormField>
      <Button type="submit" size="lg" className="w-full" disabled={isSubmitting}>
        {isSubmitting && <Spinner />}
        Verify and sign in
      </Button>
      <div className="flex flex-col items-center gap-3 sm:flex-row sm:justify-between">
        <Button variant="link" onClick={switchKind} disabled={isSubmitting} className="h-auto px-0">
          {kind === 'totp' ? 'Use a recovery code instead' : 'Use the authenticator app instead'}
        </Button>
        <Button variant="link" onClick={onCancel} disabled={isSubmitting} className="h-auto px-0">
          Back to sign-in
        </Button>
      </div>
    </form>
  )
}
