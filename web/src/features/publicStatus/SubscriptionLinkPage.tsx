import { useEffect, useRef } from 'react'
import { useMutation } from '@tanstack/react-query'
import { Link, useLocation, useParams } from '@tanstack/react-router'
import { rateLimitMessage, toApiError } from '@/api/errors'
import { confirmSubscription, unsubscribe } from '@/api/status'
import { Alert } from '@/components/ui/alert'
import { Button, buttonVariants } from '@/components/ui/button'
import { Card, CardContent } from '@/components/ui/card'
import { Spinner } from '@/components/ui/spinner'
import { rawSearchParam } from '@/lib/searchParam'
import { StatusPublicLayout } from './StatusPublicLayout'

type Kind = 'confirm' | 'unsubscribe'

const TEXT: Record<Kind, { title: string; done: string; doneBody: string; failed: string }> = {
  confirm: {
    title: 'Confirm your subscription',
    done: 'Subscription confirmed',
    doneBody: 'You will get an e-mail when an incident is opened, updated or resolved, and when maintenance is scheduled.',
    failed: 'This confirmation link cannot be used',
  },
  unsubscribe: {
    title: 'Unsubscribe',
    done: 'You are unsubscribed',
    doneBody: 'You will get no more e-mails from this status page.',
    failed: 'This unsubscribe link cannot be used',
  },
}

function describe(error: unknown): string {
  const apiError = toApiError(error)
  if (apiError.status === 429) return rateLimitMessage(error, 'Too many requests.')
  if (apiError.status === 400 || apiError.status === 404)
    return 'It may have been used already, or it was copied incompletely. Open it again from the e-mail.'
  return apiError.detail
}

function SubscriptionLinkPage({ kind }: { kind: Kind }) {
  const { slug } = useParams({ strict: false }) as { slug: string }
  const token = rawSearchParam(useLocation().searchStr, 'token')
  const text = TEXT[kind]
  const { mutate, status, error } = useMutation({ mutationFn: kind === 'confirm' ? confirmSubscription : unsubscribe })
  // Confirming is what the link is for: it runs on load, once (strict mode runs effects twice).
  // Unsubscribing waits for a click, so that a mail scanner opening the link changes nothing.
  const sent = useRef<string | null>(null)
  useEffect(() => {
    if (kind !== 'confirm' || !token || sent.current === token) return
    sent.current = token
    mutate(token)
  }, [kind, token, mutate])

  return (
    <StatusPublicLayout>
      <Card className="mx-auto max-w-md">
        <CardContent className="space-y-4 pt-6">
          <h1 className="text-xl font-semibold text-slate-900">{text.title}</h1>
          {!token ? (
            <Alert tone="error" title="This link is incomplete">
              The link has no token. Open it again from the e-mail, or copy the whole address into the browser.
            </Alert>
          ) : status === 'success' ? (
            <Alert tone="success" title={text.done} data-testid="subscription-done">
              {text.doneBody}
            </Alert>
          ) : status === 'error' ? (
            <Alert tone="error" title={text.failed}>
              {describe(error)}
            </Alert>
          ) : kind === 'unsubscribe' ? (
            <>
              <p className="text-sm text-slate-600">Stop the e-mails about this status page?</p>
              <Button onClick={() => mutate(token)} disabled={status === 'pending'} className="w-full sm:w-auto">
                {status === 'pending' && <Spinner />}
                Unsubscribe
              </Button>
            </>
          ) : (
            <p className="flex items-center gap-2 text-sm text-slate-600" role="status">
              <Spinner /> Confirming…
            </p>
          )}
          <Link to="/status/$slug" params={{ slug }} className={buttonVariants({ variant: 'outline', size: 'sm' })}>
            See the status page
          </Link>
        </CardContent>
      </Card>
    </StatusPublicLayout>
  )
}

export function ConfirmSubscriptionPage() {
  return <SubscriptionLinkPage kind="confirm" />
}

export function UnsubscribePage() {
  return <SubscriptionLinkPage kind="unsubscribe" />
}
