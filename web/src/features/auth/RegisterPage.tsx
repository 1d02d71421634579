import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { Link, useNavigate } from '@tanstack/react-router'
import { register as registerAccount } from '@/api/auth'
import { applyApiErrors, rateLimitMessage, toApiError } from '@/api/errors'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { usePlans } from '@/hooks/usePlans'
import { endpointAllowance, findPlan, FREE_PLAN_ID } from '@/lib/plans'
import { AuthCard } from './AuthCard'
import { PasswordChecklist } from './PasswordChecklist'
import { REGISTER_FIELDS, registerSchema, type RegisterValues } from './schemas'

export function RegisterPage() {
  const navigate = useNavigate()
  const [formError, setFormError] = useState<string | null>(null)
  const freePlan = findPlan(usePlans().data, FREE_PLAN_ID)
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<RegisterValues>({
    resolver: zodResolver(registerSchema),
    mode: 'onTouched',
    defaultValues: { organization_name: '', email: '', password: '', password_confirm: '' },
  })

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null)
    try {
      await registerAccount(values)
    } catch (error) {
      const apiError = toApiError(error)
      if (apiError.code === 'duplicate_organization_name' && !apiError.errors.organization_name) {
        setError('organization_name', { type: 'server', message: apiError.detail }, { shouldFocus: true })
        return
      }
      if (apiError.status === 429) {
        setFormError(rateLimitMessage(error, 'Too many sign-ups from this network.'))
        return
      }
      setFormError(applyApiErrors(apiError, setError, REGISTER_FIELDS))
      return
    }
    // The organisation exists and a confirmation link is on its way: sign in from there.
    await navigate({ to: '/login', search: { notice: 'registered' } })
  })

  return (
    <AuthCard
      title="Create your organisation"
      subtitle={freePlan ? `Start monitoring ${endpointAllowance(freePlan.endpoint_limit)} for free.` : 'Start monitoring for free.'}
      footer={
        <>
          Already have an account?{' '}
          <Link to="/login" className="font-medium text-brand-600 hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Create your organisation">
        {formError && <Alert tone="error">{formError}</Alert>}
        <FormField label="Organisation name" error={errors.organization_name?.message}>
          <Input autoComplete="organization" placeholder="Acme Inc." {...register('organization_name')} />
        </FormField>
        <FormField label="Work e-mail" error={errors.email?.message}>
          <Input type="email" autoComplete="email" placeholder="you@company.com" {...register('email')} />
        </FormField>
        <FormField label="Password" error={errors.password?.message}>
          <Input type="password" autoComplete="new-password" {...register('password')} />
        </FormField>
        <PasswordChecklist value={watch('password')} />
        <FormField label="Confirm password" error={errors.password_confirm?.message}>
          <Input type="password" autoComplete="new-password" {...register('password_confirm')} />
        </FormField>
        <Button type="submit" size="lg" className="w-full" disabled={isSubmitting}>
          {isSubmitting && <Spinner />}
          Create account
        </Button>
      </form>
    </AuthCard>
  )
}
