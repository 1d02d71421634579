import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { requestPasswordReset } from '@/api/auth'
import { applyApiErrors, rateLimitMessage, toApiError } from '@/api/errors'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { AuthCard } from './AuthCard'
import { FORGOT_PASSWORD_FIELDS, forgotPasswordSchema, type ForgotPasswordValues } from './schemas'

const backToSignIn = (
  <Link to="/login" className="font-medium text-brand-600 hover:underline">
    Back to sign-in
  </Link>
)

/**
 * Asks for a reset link. The answer is the same whether or not the address has an
 * account (202 always), so the page never says which.
 */
export function ForgotPasswordPage() {
  const [sentTo, setSentTo] = useState<string | null>(null)
  const [formError, setFormError] = useState<string | null>(null)
  const { mutateAsync } = useMutation({ mutationFn: requestPasswordReset })
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ForgotPasswordValues>({
    resolver: zodResolver(forgotPasswordSchema),
    mode: 'onTouched',
    defaultValues: { email: '' },
  })

  const onSubmit = handleSubmit(async ({ email }) => {
    setFormError(null)
    try {
      await mutateAsync(email)
      setSentTo(email)
    } catch (error) {
      const apiError = toApiError(error)
      if (apiError.status === 429) {
        setFormError(rateLimitMessage(error, 'Too many reset requests from this network.'))
        return
      }
      setFormError(applyApiErrors(apiError, setError, FORGOT_PASSWORD_FIELDS))
    }
  })

  if (sentTo) {
    return (
      <AuthCard title="Check your inbox" footer={backToSignIn}>
        <Alert tone="success" data-testid="reset-requested">
          <p>
            If an account exists for <strong className="break-all font-semibold">{sentTo}</strong>, we sent it a link to
            choose a new password. The link works once, for one hour.
          </p>
          <p className="mt-2">
            If the address belongs to several organisations, the e-mail has a link for each. Nothing arrived? Check
            your spam folder, or ask again in a few minutes.
          </p>
        </Alert>
        <Button variant="outline" className="mt-4 w-full" onClick={() => setSentTo(null)}>
          Use another address
        </Button>
      </AuthCard>
    )
  }

  return (
    <AuthCard
      title="Reset your password"
      subtitle="Enter the e-mail address you sign in with, and we will send you a link to choose a new password."
      footer={backToSignIn}
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Reset your password">
        {formError && <Alert tone="error">{formError}</Alert>}
        <FormField label="E-mail" error={errors.email?.message}>
          <Input type="email" autoComplete="email" placeholder="you@company.com" autoFocus {...register('email')} />
        </FormField>
        <Button type="submit" size="lg" className="w-full" disabled={isSubmitting}>
          {isSubmitting && <Spinner />}
          Send reset link
        </Button>
      </form>
    </AuthCard>
  )
}

