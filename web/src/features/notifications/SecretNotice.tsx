import { OneTimeSecret } from '@/components/OneTimeSecret'

interface SecretNoticeProps {
  channelName: string
  secret: string
  onDone: () => void
}

/**
 * A new webhook's signing secret. The API sends it once, in the answer to the create
 * call; it is kept only in this component's props, never in the query cache.
 */
export function SecretNotice({ channelName, secret, onDone }: SecretNoticeProps) {
  return (
    <OneTimeSecret
      title={`Signing secret for ${channelName}`}
      secret={secret}
      label="Webhook signing secret"
      onDone={onDone}
      testId="webhook-secret"
    >
      <p>
        Copy it now: <strong>it will not be shown again.</strong> Your receiver uses it to check the
        StatusWatch-Signature header of each request.
      </p>
    </OneTimeSecret>
  )
}
