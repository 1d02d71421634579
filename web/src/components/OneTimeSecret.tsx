import { useEffect, useRef, useState, type ReactNode } from 'react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { inputClasses } from '@/components/ui/input'
import { cn } from '@/lib/cn'

interface OneTimeSecretProps {
  title: string
  /** What the secret is for; the page adds "it will not be shown again" in its own words. */
  children: ReactNode
  secret: string
  /** The field's accessible name, e.g. "Webhook signing secret". */
  label: string
  onDone: () => void
  testId?: string
}

/**
 * A secret the API sends once (a webhook's signing secret, a new API key), with Copy and
 * Done. It lives only in the caller's state, never in the query cache.
 */
export function OneTimeSecret({ title, children, secret, label, onDone, testId }: OneTimeSecretProps) {
  const field = useRef<HTMLTextAreaElement>(null)
  const [copied, setCopied] = useState<'yes' | 'select' | null>(null)

  // The form that created it is below: bring the secret into view, selected, at once.
  useEffect(() => {
    field.current?.focus()
  }, [])

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret)
      setCopied('yes')
    } catch {
      // No clipboard access (an insecure origin, a refusal): select it for Ctrl+C instead.
      field.current?.select()
      setCopied('select')
    }
  }

  return (
    <Alert tone="warning" title={title} data-testid={testId}>
      {children}
      <div className="mt-3 flex flex-col gap-2 sm:flex-row">
        {/* A textarea that breaks anywhere: on a phone the whole secret shows on two lines
            instead of running out of a one-line field. */}
        <textarea
          ref={field}
          readOnly
          rows={2}
          value={secret}
          aria-label={label}
          spellCheck={false}
          onFocus={(event) => event.currentTarget.select()}
          className={cn(
            inputClasses,
            'field-sizing-content h-auto min-h-10 min-w-0 resize-none break-all py-[9px] font-mono text-xs leading-5 sm:flex-1',
          )}
        />
        <div className="flex gap-2">
          <Button variant="outline" onClick={() => void copy()} className="flex-1 sm:flex-none">
            Copy
          </Button>
          <Button variant="secondary" onClick={onDone} className="flex-1 sm:flex-none">
            Done
          </Button>
        </div>
      </div>
      <p className="mt-2 text-xs empty:mt-0" aria-live="polite">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'select' ? 'Selected: press Ctrl+C (⌘C) to copy.' : ''}
      </p>
    </Alert>
  )
}
