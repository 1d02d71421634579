import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { Link, useNavigate, useSearch } from '@tanstack/react-router'
import * as z from 'zod/mini'
import { applyApiErrors, rateLimitMessage, toApiError } from '@/api/errors'
import { staffLogin } from '@/api/staff'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { AuthCard } from '@/features/auth/AuthCard'
import { normaliseCode } from '@/features/auth/schemas'
import { useStaffSession } from '@/stores/staffSession'

const staffLoginSchema = z.object({
  email: z.string().check(
    z.trim(),
    z.minLength(1, 'Enter your e-mail address.'),
    z.regex(z.regexes.email, 'Enter a valid e-mail address.'),
  ),
  password: z.string().check(z.minLength(1, 'Enter your password.')),
  code: z.string().check(
    z.refine((v) => normaliseCode(v) === '' || /^\d{6}$/.test(normaliseCode(v)), 'The code has 6 digits.'),
  ),
})

type StaffLoginValues = z.infer<typeof staffLoginSchema>

/** Codes the staff login may answer when the account has two-factor and the code is missing. */
const CODE_NEEDED = new Set(['code_required', 'two_factor_required', 'totp_required'])

/** Only a page of the console itself, never another site or the tenant app. */
export function staffRedirectTarget(target: unknown): string {
  if (typeof target === 'string' && target.startsWith('/staff/') && !target.startsWith('/staff/login')) return target
  return '/staff/tenants'
}

/** /staff/login: operators of the service sign in here (POST /api/staff/token/), apart from any tenant session. */
export function StaffLoginPage() {
  const search = useSearch({ strict: false }) as { redirect?: string }
  const navigate = useNavigate()
  const [formError, setFormError] = useState<string | null>(null)
  const {
    register,
    handleSubmit,
    setError,
    setValue,
    formState: { errors, isSubmitting },
  } = useForm<StaffLoginValues>({
    resolver: zodResolver(staffLoginSchema),
    mode: 'onTouched',
    defaultValues: { email: '', password: '', code: '' },
  })

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null)
    const code = normaliseCode(values.code)
    try {
      const { access } = await staffLogin({ email: values.email, password: values.password, ...(code ? { code } : {}) })
      useStaffSession.getState().setSession(access, values.email)
    } catch (error) {
      const apiError = toApiError(error)
      if (apiError.code === 'invalid_code') {
        setValue('code', '')
        setError('code', { type: 'server', message: 'That code is not valid. Use the newest code from your app.' }, { shouldFocus: true })
        return
      }
      if ((apiError.code && CODE_NEEDED.has(apiError.code)) || (apiError.errors.code && !apiError.errors.password)) {
        setError('code', { type: 'server', message: apiError.errors.code?.join(' ') ?? 'Enter the 6-digit code from your authenticator app.' }, { shouldFocus: true })
        return
      }
      if (apiError.status === 401) {
        setFormError('Invalid e-mail or password.')
        return
      }
      if (apiError.status === 429) {
        setFormError(rateLimitMessage(error, 'Too many failed sign-ins.'))
        return
      }
      setFormError(applyApiErrors(apiError, setError, ['email', 'password', 'code'] as const))
      return
    }
    await navigate({ to: staffRedirectTarget(search.redirect) })
  })

  return (
    <AuthCard
      title="Staff sign-in"
      subtitle="For the operators of this StatusWatch service."
      footer={
        <>
          A customer?{' '}
          <Link to="/login" className="font-medium text-brand-600 hover:underline">
            Sign in to your organisation
          </Link>
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Staff sign-in">
        {formError && <Alert tone="error">{formError}</Alert>}
        <FormField label="E-mail" error={errors.email?.message}>
          <Input type="email" autoComplete="username" {...register('email')} />
        </FormField>
        <FormField label="Password" error={errors.password?.message}>
          <Input type="password" autoComplete="current-password" {...register('password')} />
        </FormField>
        <FormField
          label="Authentication code"
          error={errors.code?.message}
          hint="From your authenticator app, once two-factor is set up for your staff account."
        >
          <Input inputMode="numeric" autoComplete="one-time-code" placeholder="123456" maxLength={12} {...register('code')} />
        </FormField>
        <Button type="submit" size="lg" className="w-full" disabled={isSubmitting}>
          {isSubmitting && <Spinner />}
          Sign in
        </Button>
        <p className="text-center text-xs text-slate-500">A staff session lasts 15 minutes; then you sign in again.</p>
      </form>
    </AuthCard>
  )
}
