import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { Link, useSearch } from '@tanstack/react-router'
import { isMultipleTenants, login } from '@/api/auth'
import { applyApiErrors, toApiError } from '@/api/errors'
import type { TenantRef } from '@/api/types'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { AuthCard } from './AuthCard'
import { LOGIN_FIELDS, loginSchema, type LoginValues } from './schemas'
import { TenantPicker } from './TenantPicker'
import { useCompleteLogin } from './useCompleteLogin'

const INVALID_CREDENTIALS = 'Invalid e-mail or password'

interface TenantChoice {
  tenants: TenantRef[]
}

export function LoginPage() {
  const search = useSearch({ strict: false }) as { redirect?: string }
  const completeLogin = useCompleteLogin()
  const [formError, setFormError] = useState<string | null>(null)
  const [choice, setChoice] = useState<TenantChoice | null>(null)
  const [choosing, setChoosing] = useState(false)
  const {
    register,
    handleSubmit,
    setError,
    getValues,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<LoginValues>({
    resolver: zodResolver(loginSchema),
    mode: 'onTouched',
    defaultValues: { email: '', password: '' },
  })

  const attempt = async (values: LoginValues, tenantSchema?: string) => {
    setFormError(null)
    try {
      const reply = await login({ ...values, ...(tenantSchema ? { tenant_schema: tenantSchema } : {}) })
      if (isMultipleTenants(reply)) {
        setChoice({ tenants: reply.tenants })
        return
      }
      await completeLogin(reply, search.redirect)
    } catch (error) {
      const apiError = toApiError(error)
      if (apiError.status === 401) {
        setChoice(null)
        setFormError(INVALID_CREDENTIALS)
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
    setChoice(null)
    setFormError(null)
    reset({ email: '', password: '' })
  }

  return (
    <AuthCard
      title={choice ? 'Choose an organisation' : 'Sign in to StatusWatch'}
      subtitle={choice ? getValues('email') : 'Welcome back. Enter your details to continue.'}
      footer={
        <>
          New to StatusWatch?{' '}
          <Link to="/register" className="font-medium text-brand-600 hover:underline">
            Create an organisation
          </Link>
        </>
      }
    >
      {formError && (
        <Alert tone="error" className="mb-4">
          {formError}
        </Alert>
      )}
      {choice ? (
        <TenantPicker
          tenants={choice.tenants}
          pending={choosing}
          onChoose={(schema) => void chooseTenant(schema)}
          onReset={useDifferentEmail}
        />
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Sign in">
          <FormField label="E-mail" error={errors.email?.message}>
            <Input type="email" autoComplete="username" placeholder="you@company.com" {...register('email')} />
          </FormField>
          <FormField label="Password" error={errors.password?.message}>
            <Input type="password" autoComplete="current-password" {...register('password')} />
          </FormField>
          <Button type="submit" size="lg" className="w-full" disabled={isSubmitting}>
            {isSubmitting && <Spinner />}
            Sign in
          </Button>
        </form>
      )}
    </AuthCard>
  )
}
