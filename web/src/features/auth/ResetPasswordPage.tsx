import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Link, useLocation } from '@tanstack/react-router'
import { confirmPasswordReset } from '@/api/auth'
import { applyApiErrors, rateLimitMessage, toApiError } from '@/api/errors'
import { resetClientState } from '@/app/sessionEnd'
import { Alert } from '@/components/ui/alert'
import { Button, buttonVariants } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { cn } from '@/lib/cn'
import { rawSearchParam } from '@/lib/searchParam'
import { useSession } from '@/stores/session'
import { AuthCard } from './AuthCard'
import { PasswordChecklist } from './PasswordChecklist'
import { RESET_PASSWORD_FIELDS, resetPasswordSchema, type ResetPasswordValues } from './schemas'

type LinkProblem = 'missing' | 'invalid' | 'expired'

const LINK_PROBLEMS: Record<LinkProblem, { title: string; body: string }> = {
  missing: {
    title: 'This link is incomplete',
    body: 'The reset link has no token. Open it again from the e-mail, or copy the whole address into the browser.',
  },
  invalid: {
    title: 'This link cannot be used',
    body: 'It may have been used already (each link works once), or it was copied incompletely.',
  },
  expired: {
    title: 'This link has expired',
    body: 'Reset links work for one hour. Ask for a new one and use it within the hour.',
  },
}

const signInLink = (
  <Link to="/login" className="font-medium text-brand-600 hover:underline">
    Back to sign-in
  </Link>
)

function linkProblemOf(code: string | null, errors: Record<string, string[]>): LinkProblem | null {
  if (code === 'token_expired') return 'expired'
  if (code === 'invalid_token' || errors.token) return 'invalid'
  return null
}

/** Where the reset e-mail's link lands (?token=…): choose a new password. Works signed in or out. */
export function ResetPasswordPage() {
  const token = rawSearchParam(useLocation().searchStr, 'token')
  const queryClient = useQueryClient()
  const [problem, setProblem] = useState<LinkProblem | null>(token ? null : 'missing')
  const [done, setDone] = useState(false)
  const [formError, setFormError] = useState<string | null>(null)
  const { mutateAsync } = useMutation({ mutationFn: confirmPasswordReset })
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<ResetPasswordValues>({
    resolver: zodResolver(resetPasswordSchema),
    mode: 'onTouched',
    defaultValues: { password: '', password_confirm: '' },
  })

  const onSubmit = handleSubmit(async (values) => {
    if (!token) return
    setFormError(null)
    try {
      await mutateAsync({ token, ...values })
    } catch (error) {
      const apiError = toApiError(error)
      const linkProblem = linkProblemOf(apiError.code, apiError.errors)
      if (linkProblem) {
        setProblem(linkProblem)
        return
      }
      if (apiError.status === 429) {
        setFormError(rateLimitMessage(error, 'Too many attempts.'))
        return
      }
      setFormError(applyApiErrors(apiError, setError, RESET_PASSWORD_FIELDS))
      return
    }
    // Every refresh token of that user is revoked now: a session held here is over too.
    if (useSession.getState().refresh) {
      useSession.getState().clear()
      resetClientState(queryClient)
    }
    setDone(true)
  })

  if (done) {
    return (
      <AuthCard title="Password changed">
        <Alert tone="success" data-testid="password-changed">
          Your new password is set. For your safety, every device that was signed in to this account has been signed
          out.
        </Alert>
        <Link to="/login" search={{ notice: 'password_reset' }} className={cn(buttonVariants({ size: 'lg' }), 'mt-4 w-full')}>
          Sign in
        </Link>
      </AuthCard>
    )
  }

  if (problem) {
    const { title, body } = LINK_PROBLEMS[problem]
    return (
      <AuthCard title={title} footer={signInLink}>
        <Alert tone="error" data-testid="reset-link-problem" data-problem={problem}>
          {body}
        </Alert>
        <Link to="/forgot-password" className={cn(buttonVariants({ size: 'lg' }), 'mt-4 w-full')}>
          Request a new link
        </Link>
      </AuthCard>
    )
  }

  return (
    <AuthCard title="Choose a new password" subtitle="Use it from now on to sign in." footer={signInLink}>
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Choose a new password">
        {formError && <Alert tone="error">{formError}</Alert>}
        <FormField label="New password" error={errors.password?.message}>
          <Input type="password" autoComplete="new-password" autoFocus {...register('password')} />
        </FormField>
        <PasswordChecklist value={watch('password')} />
        <FormField label="Confirm new password" error={errors.password_confirm?.message}>
          <Input type="password" autoComplete="new-password" {...register('password_confirm')} />
        </FormField>
        <Button type="submit" size="lg" className="w-full" disabled={isSubmitting}>
          {isSubmitting && <Spinner />}
          Change password
        </Button>
      </form>
    </AuthCard>
  )
}
