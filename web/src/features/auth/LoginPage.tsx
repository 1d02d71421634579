import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { Link, useSearch } from '@tanstack/react-router'
import { isLoginSuccess, isMultipleTenants, isTwoFactorRequired, login, loginSecondFactor } from '@/api/auth'
import { applyApiErrors, rateLimitMessage, toApiError } from '@/api/errors'
import type { TenantRef } from '@/api/types'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { AuthCard } from './AuthCard'
import { isLoginNotice, type LoginNotice } from './notices'
import { LOGIN_FIELDS, loginSchema, type LoginValues } from './schemas'
import { TenantPicker } from './TenantPicker'
import { TwoFactorStep } from './TwoFactorStep'
import { useCompleteLogin } from './useCompleteLogin'

const INVALID_CREDENTIALS = 'Invalid e-mail or password'
const INVALID_CODE = 'That code is not valid. Use the newest code from your app, or an unused recovery code.'
const INVALID_CHALLENGE =
  'That sign-in was open too long or had too many wrong codes. Enter your password again to get a new one.'

const NOTICES: Record<LoginNotice, { title: string; body: string }> = {
  registered: {
    title: 'Your organisation is ready',
    body: 'We sent you an e-mail with a link to confirm your address. Open it when you can; you can sign in now.',
  },
  password_reset: {
    title: 'Your password has been changed',
    body: 'Every earlier sign-in of this account has ended. Sign in with your new password.',
  },
  invitation_accepted: {
    title: 'Welcome to the team',
    body: 'Your account is ready and your e-mail address is confirmed. Sign in with it and the password you just chose.',
  },
}

type Step = { kind: 'password' } | { kind: 'tenant'; tenants: TenantRef[] } | { kind: 'code'; challenge: string }

export function LoginPage() {
  const search = useSearch({ strict: false }) as { redirect?: string; notice?: LoginNotice }
  const completeLogin = useCompleteLogin()
  const [formError, setFormError] = useState<string | null>(null)
  const [step, setStep] = useState<Step>({ kind: 'password' })
  const [choosing, setChoosing] = useState(false)
  // The notice from the page that sent us here holds until the first sign-in attempt.
  const [notice, setNotice] = useState(search.notice && isLoginNotice(search.notice) ? NOTICES[search.notice] : null)
  const {
    register,
    handleSubmit,
    setError,
    getValues,
    reset,
    setFocus,
    formState: { errors, isSubmitting },
  } = useForm<LoginValues>({
    resolver: zodResolver(loginSchema),
    mode: 'onTouched',
    defaultValues: { email: '', password: '' },
  })

  const attempt = async (values: LoginValues, tenantSchema?: string) => {
    setFormError(null)
    setNotice(null)
    try {
      const reply = await login({ ...values, ...(tenantSchema ? { tenant_schema: tenantSchema } : {}) })
      if (isMultipleTenants(reply)) {
        setStep({ kind: 'tenant', tenants: reply.tenants })
        return
      }
      if (isTwoFactorRequired(reply)) {
        setStep({ kind: 'code', challenge: reply.challenge })
        return
      }
      await completeLogin(reply, search.redirect)
    } catch (error) {
      const apiError = toApiError(error)
      if (apiError.status === 401) {
        setStep({ kind: 'password' })
        setFormError(INVALID_CREDENTIALS)
        return
      }
      if (apiError.status === 429) {
        setFormError(rateLimitMessage(error, 'Too many failed sign-ins.'))
        return
      }
      setFormError(applyApiErrors(apiError, setError, LOGIN_FIELDS))
    }
  }

  const onSubmit = handleSubmit((values) => attempt(values))

  const chooseTenant = async (schema: string) => {
    setChoosing(true)
    try {
      await attempt(getValues(), schema)
    } finally {
      setChoosing(false)
    }
  }

  const useDifferentEmail = () => {
    setStep({ kind: 'password' })
    setFormError(null)
    reset({ email: '', password: '' })
  }

  /** Back to the password form, keeping the e-mail (the challenge is spent or abandoned). */
  const restartWithPassword = (message: string | null) => {
    setStep({ kind: 'password' })
    setFormError(message)
    reset({ email: getValues('email'), password: '' })
    window.setTimeout(() => setFocus('password'), 0)
  }

  /** Returns the message to show under the code field, or null once the sign-in moved on. */
  const submitCode = async (challenge: string, code: string): Promise<string | null> => {
    setFormError(null)
    try {
      const reply = await loginSecondFactor({ challenge, code })
      if (!isLoginSuccess(reply)) return 'The server did not finish the sign-in. Please try again.'
      await completeLogin(reply, search.redirect)
      return null
    } catch (error) {
      const apiError = toApiError(error)
      if (apiError.code === 'invalid_challenge') {
        restartWithPassword(INVALID_CHALLENGE)
        return null
      }
      if (apiError.status === 401) return INVALID_CODE
      if (apiError.status === 429) return rateLimitMessage(error, 'Too many wrong codes.')
      return apiError.errors.code?.join(' ') ?? apiError.detail
    }
  }

  const title =
    step.kind === 'tenant' ? 'Choose an organisation' : step.kind === 'code' ? 'Two-factor authentication' : 'Sign in to StatusWatch'

  return (
    <AuthCard
      title={title}
      subtitle={step.kind === 'password' ? 'Welcome back. Enter your details to continue.' : getValues('email')}
      footer={
        <>
          New to StatusWatch?{' '}
          <Link to="/register" className="font-medium text-brand-600 hover:underline">
            Create an organisation
          </Link>
        </>
      }
    >
      {notice && (
        <Alert tone="success" title={notice.title} className="mb-4" data-testid="login-notice">
          {notice.body}
        </Alert>
      )}
      {formError && (
        <Alert tone="error" className="mb-4">
          {formError}
        </Alert>
      )}
      {step.kind === 'tenant' ? (
        <TenantPicker
          tenants={step.tenants}
          pending={choosing}
          onChoose={(schema) => void chooseTenant(schema)}
          onReset={useDifferentEmail}
        />
      ) : step.kind === 'code' ? (
        <TwoFactorStep
          key={step.challenge}
          onSubmit={(code) => submitCode(step.challenge, code)}
          onCancel={() => restartWithPassword(null)}
        />
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Sign in">
          <FormField label="E-mail" error={errors.email?.message}>
            <Input type="email" autoComplete="username" placeholder="you@company.com" {...register('email')} />
          </FormField>
          <div className="space-y-1.5">
            <FormField label="Password" error={errors.password?.message}>
              <Input type="password" autoComplete="current-password" {...register('password')} />
            </FormField>
            <p className="text-right text-sm">
              <Link to="/forgot-password" className="font-medium text-brand-600 hover:underline">
                Forgot password?
              </Link>
            </p>
          </div>
          <Button type="submit" size="lg" className="w-full" disabled={isSubmitting}>
            {isSubmitting && <Spinner />}
            Sign in
          </Button>
        </form>
      )}
    </AuthCard>
  )
}
