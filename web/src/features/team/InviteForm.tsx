import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { applyApiErrors, rateLimitMessage, toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import { createInvitation } from '@/api/team'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input, inputClasses } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { useResendVerification } from '@/hooks/useResendVerification'
import { ROLE_SUMMARIES, roleLabel } from '@/lib/team'
import { INVITATION_ROLES, INVITE_FIELDS, inviteSchema, type InviteValues } from './schemas'
import { withArticle } from './teamMessages'

const EMPTY: InviteValues = { email: '', role: 'member' }

/** 403 email_not_verified: the inviter's own address is unconfirmed, so nothing is sent until it is. */
function VerifyFirst() {
  const { resend, pending, state } = useResendVerification()
  return (
    <Alert
      tone="warning"
      title="Confirm your own e-mail address first"
      data-testid="invite-verify-first"
      action={
        <Button variant="outline" size="sm" onClick={() => void resend()} disabled={pending} className="w-full sm:w-auto">
          {pending && <Spinner />}
          {state.kind === 'sent' ? 'Send again' : 'Resend e-mail'}
        </Button>
      }
    >
      <p>
        Invitations go out only from an account whose e-mail address is confirmed. Open the confirmation link we sent
        you, then send the invitation again.
      </p>
      <p className="mt-1 empty:hidden" aria-live="polite">
        {state.kind === 'sent'
          ? 'A new confirmation link is on its way.'
          : state.kind === 'already'
            ? 'Your address is confirmed now: send the invitation again.'
            : state.kind === 'error'
              ? state.message
              : ''}
      </p>
    </Alert>
  )
}

export function InviteForm() {
  const queryClient = useQueryClient()
  const [formError, setFormError] = useState<string | null>(null)
  const [verifyFirst, setVerifyFirst] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)
  const { mutateAsync } = useMutation({
    mutationFn: createInvitation,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.invitations }),
  })
  const {
    register,
    handleSubmit,
    setError,
    reset,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<InviteValues>({ resolver: zodResolver(inviteSchema), defaultValues: EMPTY })
  const role = watch('role')

  const submit = handleSubmit(async (values) => {
    setFormError(null)
    setVerifyFirst(false)
    setNotice(null)
    try {
      const invitation = await mutateAsync(values)
      setNotice(`Invitation sent to ${invitation.email} to join as ${withArticle(invitation.role)}. The link works for 7 days.`)
      reset(EMPTY)
    } catch (error) {
      const apiError = toApiError(error)
      if (apiError.code === 'already_member') {
        setError(
          'email',
          { type: 'server', message: apiError.errors.email?.join(' ') ?? `${values.email} is already a member of this organisation.` },
          { shouldFocus: true },
        )
        return
      }
      if (apiError.code === 'email_not_verified') {
        setVerifyFirst(true)
        return
      }
      if (apiError.code === 'permission_denied') {
        setFormError('Only owners and admins can invite people.')
        return
      }
      if (apiError.status === 429) {
        setFormError(rateLimitMessage(error, 'Too many invitations.'))
        return
      }
      setFormError(applyApiErrors(apiError, setError, INVITE_FIELDS))
    }
  })

  return (
    <form onSubmit={submit} noValidate aria-label="Invite someone" className="space-y-4">
      {verifyFirst && <VerifyFirst />}
      {formError && <Alert tone="error">{formError}</Alert>}
      {notice && <Alert tone="success">{notice}</Alert>}
      <fieldset disabled={isSubmitting} className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_10rem_auto] sm:items-start">
        <legend className="sr-only">New invitation</legend>
        <FormField label="E-mail address" error={errors.email?.message}>
          <Input type="email" inputMode="email" autoComplete="off" placeholder="colleague@example.com" {...register('email')} />
        </FormField>
        <FormField label="Role" error={errors.role?.message}>
          <select className={inputClasses} {...register('role')}>
            {INVITATION_ROLES.map((value) => (
              <option key={value} value={value}>
                {roleLabel(value)}
              </option>
            ))}
          </select>
        </FormField>
        <Button type="submit" className="w-full sm:mt-6 sm:w-auto">
          {isSubmitting && <Spinner />}
          Send invitation
        </Button>
      </fieldset>
      <p className="text-xs text-slate-500">
        {roleLabel(role)}: {ROLE_SUMMARIES[role]} Owners are made by changing a member&rsquo;s role.
      </p>
    </form>
  )
}
