import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation } from '@tanstack/react-query'
import { Link, useLocation, useNavigate } from '@tanstack/react-router'
import { applyApiErrors, rateLimitMessage, toApiError } from '@/api/errors'
import { acceptInvitation } from '@/api/team'
import type { InvitationAccepted } from '@/api/types'
import { Alert } from '@/components/ui/alert'
import { Button, buttonVariants } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { AuthCard } from '@/features/auth/AuthCard'
import { PasswordChecklist } from '@/features/auth/PasswordChecklist'
import {
  ACCEPT_INVITATION_FIELDS,
  acceptInvitationSchema,
  type AcceptInvitationValues,
} from '@/features/auth/schemas'
import { useLogout } from '@/hooks/useLogout'
import { cn } from '@/lib/cn'
import { rawSearchParam } from '@/lib/searchParam'
import { useSession } from '@/stores/session'

type LinkProblem = 'missing' | 'invalid' | 'expired' | 'member'

const LINK_PROBLEMS: Record<LinkProblem, { title: string; body: string }> = {
  missing: {
    title: 'This link is incomplete',
    body: 'The invitation link has no token. Open it again from the e-mail, or copy the whole address into the browser.',
  },
  invalid: {
    title: 'This invitation cannot be used',
    body: 'It may have been accepted already, revoked, or copied incompletely. Ask the person who invited you to send a new invitation.',
  },
  expired: {
    title: 'This invitation has expired',
    body: 'Invitation links work for 7 days. Ask the person who invited you to send a new one.',
  },
  member: {
    title: 'You are already a member',
    body: 'This e-mail already belongs to a member of the organisation. Sign in with your password instead (“Forgot password?” on the sign-in page if you need a new one).',
  },
}

const signInLink = (
  <Link to="/login" className="font-medium text-brand-600 hover:underline">
    Already have an account? Sign in
  </Link>
)

function linkProblemOf(code: string | null, errors: Record<string, string[]>): LinkProblem | null {
  if (code === 'token_expired') return 'expired'
  if (code === 'already_member') return 'member'
  if (code === 'invalid_token' || errors.token) return 'invalid'
  return null
}

/** Accepted while someone is signed in here: their session stays, and they are told how to switch. */
function JoinedWhileSignedIn({ joined }: { joined: InvitationAccepted }) {
  const current = useSession((s) => s.user?.email)
  const { logout, pending } = useLogout()
  return (
    <AuthCard title={`You have joined ${joined.tenant.name}`}>
      <Alert tone="success" data-testid="invitation-accepted">
        The account <strong className="break-all">{joined.user.email}</strong> is ready.
        {current && (
          <>
            {' '}
            This browser is still signed in as <strong className="break-all">{current}</strong>: log out, then sign in
            with the new account.
          </>
        )}
      </Alert>
      <Button size="lg" className="mt-4 w-full" onClick={() => void logout()} disabled={pending}>
        {pending && <Spinner />}
        Log out and sign in
      </Button>
    </AuthCard>
  )
}

/**
 * Where an invitation e-mail's link lands (/invitations/accept?token=…): the new member
 * chooses a password (the sign-up policy), then signs in. Works signed in or out.
 */
export function AcceptInvitationPage() {
  const token = rawSearchParam(useLocation().searchStr, 'token')
  const navigate = useNavigate()
  const [problem, setProblem] = useState<LinkProblem | null>(token ? null : 'missing')
  const [joined, setJoined] = useState<InvitationAccepted | null>(null)
  const [formError, setFormError] = useState<string | null>(null)
  const { mutateAsync } = useMutation({ mutationFn: acceptInvitation })
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<AcceptInvitationValues>({
    resolver: zodResolver(acceptInvitationSchema),
    mode: 'onTouched',
    defaultValues: { password: '', password_confirm: '' },
  })

  const onSubmit = handleSubmit(async (values) => {
    if (!token) return
    setFormError(null)
    let reply: InvitationAccepted
    try {
      reply = await mutateAsync({ token, ...values })
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
      setFormError(applyApiErrors(apiError, setError, ACCEPT_INVITATION_FIELDS))
      return
    }
    if (useSession.getState().refresh) {
      setJoined(reply)
      return
    }
    await navigate({ to: '/login', search: { notice: 'invitation_accepted' } })
  })

  if (joined) return <JoinedWhileSignedIn joined={joined} />

  if (problem) {
    const { title, body } = LINK_PROBLEMS[problem]
    return (
      <AuthCard title={title} footer={signInLink}>
        <Alert tone={problem === 'member' ? 'info' : 'error'} data-testid="invitation-link-problem" data-problem={problem}>
          {body}
        </Alert>
        {problem === 'member' && (
          <Link to="/login" className={cn(buttonVariants({ size: 'lg' }), 'mt-4 w-full')}>
            Sign in
          </Link>
        )}
      </AuthCard>
    )
  }

  return (
    <AuthCard title="Join your team on StatusWatch" subtitle="Choose a password for your new account." footer={signInLink}>
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Accept the invitation">
        {formError && <Alert tone="error">{formError}</Alert>}
        <FormField label="Password" error={errors.password?.message}>
          <Input type="password" autoComplete="new-password" autoFocus {...register('password')} />
        </FormField>
        <PasswordChecklist value={watch('password')} />
        <FormField label="Confirm password" error={errors.password_confirm?.message}>
          <Input type="password" autoComplete="new-password" {...register('password_confirm')} />
        </FormField>
        <Button type="submit" size="lg" className="w-full" disabled={isSubmitting}>
          {isSubmitting && <Spinner />}
          Accept and create account
        </Button>
      </form>
    </AuthCard>
  )
}
