import { useEffect, useRef } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Link, useLocation } from '@tanstack/react-router'
import { verifyEmail } from '@/api/auth'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import { Alert } from '@/components/ui/alert'
import { Button, buttonVariants } from '@/components/ui/button'
import { Spinner } from '@/components/ui/spinner'
import { cn } from '@/lib/cn'
import { AuthCard } from '@/features/auth/AuthCard'
import { useResendVerification } from '@/hooks/useResendVerification'
import { rawSearchParam } from '@/lib/searchParam'
import { useSession } from '@/stores/session'

type LinkProblem = 'missing' | 'invalid' | 'expired'

const LINK_PROBLEMS: Record<LinkProblem, { title: string; body: string }> = {
  missing: {
    title: 'This link is incomplete',
    body: 'The confirmation link has no token. Open it again from the e-mail, or copy the whole address into the browser.',
  },
  invalid: {
    title: 'This link cannot be used',
    body: 'It may have been used already, or it was copied incompletely. If your address is still unconfirmed, ask for a new link.',
  },
  expired: {
    title: 'This link has expired',
    body: 'Confirmation links work for 48 hours. Ask for a new one and open it within that time.',
  },
}

const fullWidth = 'w-full sm:w-auto'

/** Signed in: send a new link from here. Signed out: sign in first, the banner there has "Resend". */
function WayForward({ signedIn }: { signedIn: boolean }) {
  const { resend, pending, state } = useResendVerification()
  if (!signedIn) {
    return (
      <div className="mt-4 space-y-3 text-center">
        <p className="text-sm text-slate-600">
          Sign in, then choose <strong className="font-semibold">Resend e-mail</strong> in the banner at the top of the
          page.
        </p>
        <Link to="/login" search={{ redirect: '/dashboard' }} className={cn(buttonVariants({ size: 'lg' }), 'w-full')}>
          Sign in
        </Link>
      </div>
    )
  }
  return (
    <div className="mt-4 space-y-3">
      <div className="flex flex-col gap-2 sm:flex-row sm:justify-center">
        <Button size="lg" onClick={() => void resend()} disabled={pending || state.kind === 'already'} className={fullWidth}>
          {pending && <Spinner />}
          {state.kind === 'sent' ? 'Send another link' : 'Send a new link'}
        </Button>
        <Link to="/dashboard" className={cn(buttonVariants({ size: 'lg', variant: 'outline' }), fullWidth)}>
          Go to the dashboard
        </Link>
      </div>
      <p className="text-center text-sm text-slate-600 empty:hidden" aria-live="polite" data-testid="verify-resend-result">
        {state.kind === 'sent'
          ? 'A new link is on its way to your inbox.'
          : state.kind === 'already'
            ? 'Your address is already confirmed: nothing more to do.'
            : state.kind === 'error'
              ? state.message
              : ''}
      </p>
    </div>
  )
}

/**
 * Where the verification e-mail's link lands (?token=…). Spends the token once, on load;
 * works signed in or out.
 */
export function VerifyEmailPage() {
  const token = rawSearchParam(useLocation().searchStr, 'token')
  const signedIn = useSession((s) => Boolean(s.refresh))
  const queryClient = useQueryClient()
  const { mutate, status, error, reset } = useMutation({
    mutationFn: verifyEmail,
    // The banner on the signed-in pages reads /me: have it read again, even from here.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.me, refetchType: signedIn ? 'all' : 'none' }),
  })
  // A token is spent by the first call: never send it twice (React's strict mode runs effects twice).
  const sent = useRef<string | null>(null)

  useEffect(() => {
    if (!token || sent.current === token) return
    sent.current = token
    mutate(token)
  }, [token, mutate])

  if (!token) return <LinkProblemCard problem="missing" signedIn={signedIn} />

  if (status === 'success') {
    return (
      <AuthCard title="E-mail address confirmed">
        <Alert tone="success" data-testid="email-verified">
          Thank you: your address is confirmed, and nothing more is needed.
        </Alert>
        <Link
          to={signedIn ? '/dashboard' : '/login'}
          className={cn(buttonVariants({ size: 'lg' }), 'mt-4 w-full')}
        >
          {signedIn ? 'Go to the dashboard' : 'Sign in'}
        </Link>
      </AuthCard>
    )
  }

  if (status === 'error') {
    const apiError = toApiError(error)
    if (apiError.code === 'token_expired') return <LinkProblemCard problem="expired" signedIn={signedIn} />
    if (apiError.code === 'invalid_token' || apiError.errors.token) return <LinkProblemCard problem="invalid" signedIn={signedIn} />
    return (
      <AuthCard title="We could not confirm your address">
        <Alert tone="error">{apiError.detail}</Alert>
        <Button
          size="lg"
          className="mt-4 w-full"
          onClick={() => {
            reset()
            mutate(token)
          }}
        >
          Try again
        </Button>
      </AuthCard>
    )
  }

  return (
    <AuthCard title="Confirming your e-mail address">
      <div className="flex items-center justify-center gap-2 py-4 text-sm text-slate-600" aria-live="polite">
        <Spinner className="h-5 w-5 text-brand-600" label="Confirming" />
        One moment…
      </div>
    </AuthCard>
  )
}

function LinkProblemCard({ problem, signedIn }: { problem: LinkProblem; signedIn: boolean }) {
  const { title, body } = LINK_PROBLEMS[problem]
  return (
    <AuthCard title={title}>
      <Alert tone="error" data-testid="verify-link-problem" data-problem={problem}>
        {body}
      </Alert>
      <WayForward signedIn={signedIn} />
    </AuthCard>
  )
}
