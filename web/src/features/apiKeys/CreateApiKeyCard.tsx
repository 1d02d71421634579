import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { useQueryClient } from '@tanstack/react-query'
import { createApiKey } from '@/api/apiKeys'
import { rateLimitMessage, toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import type { CreatedApiKey } from '@/api/types'
import { OneTimeSecret } from '@/components/OneTimeSecret'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { cn } from '@/lib/cn'
import { todayDate } from '@/lib/dates'
import { API_KEY_SCOPES, apiKeyInput, apiKeySchema, NEW_API_KEY, SCOPE_LABELS, type ApiKeyValues } from './schemas'

/** The new key, shown once from the create answer; kept in this card's state only. */
function NewKeyNotice({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  return (
    <OneTimeSecret title={`Your new API key “${created.name}”`} secret={created.key} label="New API key" onDone={onDone} testId="new-api-key">
      <p>
        Copy it now: <strong>you will not see it again.</strong> StatusWatch keeps only a hash of it; if it is lost,
        revoke it and make a new one.
      </p>
      <p className="mt-1">
        Send it as <code className="break-all rounded bg-white/70 px-1 font-mono text-xs">Authorization: Api-Key {created.prefix}…</code>
      </p>
    </OneTimeSecret>
  )
}

export function CreateApiKeyCard() {
  const queryClient = useQueryClient()
  const [created, setCreated] = useState<CreatedApiKey | null>(null)
  const [formError, setFormError] = useState<string | null>(null)
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<ApiKeyValues>({ resolver: zodResolver(apiKeySchema), defaultValues: NEW_API_KEY })

  const submit = handleSubmit(async (values) => {
    setFormError(null)
    setCreated(null)
    try {
      // Called directly, not through a mutation: the answer holds the key, and it must not
      // sit in any cache; this card's state is its only home.
      setCreated(await createApiKey(apiKeyInput(values)))
      reset(NEW_API_KEY)
      void queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys })
    } catch (error) {
      const apiError = toApiError(error)
      if (apiError.status === 429) {
        setFormError(rateLimitMessage(error, 'Too many requests.'))
        return
      }
      const leftovers: string[] = []
      let placed = 0
      for (const [field, messages] of Object.entries(apiError.errors)) {
        const target = field === 'expires_at' ? 'expires_on' : field
        if (target === 'name' || target === 'scope' || target === 'expires_on') {
          setError(target, { type: 'server', message: messages.join(' ') }, { shouldFocus: placed === 0 })
          placed += 1
        } else {
          leftovers.push(...messages)
        }
      }
      setFormError(leftovers.length ? leftovers.join(' ') : placed ? null : apiError.detail)
    }
  })

  return (
    <Card>
      <CardHeader>
        <CardTitle>Create an API key</CardTitle>
        <CardDescription>
          For scripts and other services. No key can manage members, invitations, API keys or billing.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {created && <NewKeyNotice created={created} onDone={() => setCreated(null)} />}
        {formError && <Alert tone="error">{formError}</Alert>}
        <form onSubmit={submit} noValidate aria-label="Create an API key" className="space-y-4">
          <fieldset disabled={isSubmitting} className="space-y-4">
            <legend className="sr-only">New API key</legend>
            <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_12rem]">
              <FormField label="Name" error={errors.name?.message} hint="What uses it, e.g. “Deploy pipeline”.">
                <Input autoComplete="off" placeholder="Deploy pipeline" {...register('name')} />
              </FormField>
              <FormField label="Expires on (optional)" error={errors.expires_on?.message} hint="Empty: never expires.">
                <Input type="date" min={todayDate()} {...register('expires_on')} />
              </FormField>
            </div>
            <fieldset>
              <legend className="text-sm font-medium text-slate-700">Scope</legend>
              <div className="mt-2 grid gap-2 sm:grid-cols-2">
                {API_KEY_SCOPES.map((scope) => (
                  <label
                    key={scope}
                    className={cn(
                      'flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 p-3 text-sm',
                      'has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50/60',
                    )}
                  >
                    <input type="radio" value={scope} className="mt-0.5 h-4 w-4 shrink-0 cursor-pointer accent-brand-600" {...register('scope')} />
                    <span>
                      <span className="block font-medium text-slate-900">{SCOPE_LABELS[scope].label}</span>
                      <span className="block text-slate-600">{SCOPE_LABELS[scope].hint}</span>
                    </span>
                  </label>
                ))}
              </div>
              {errors.scope && (
                <p role="alert" className="mt-1.5 text-xs font-medium text-red-600">
                  {errors.scope.message}
                </p>
              )}
            </fieldset>
            <div className="flex justify-end">
              <Button type="submit" className="w-full sm:w-auto">
                {isSubmitting && <Spinner />}
                Create key
              </Button>
            </div>
          </fieldset>
        </form>
      </CardContent>
    </Card>
  )
}
