import { useRef, useState } from 'react'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { inputClasses } from '@/components/ui/input'
import { cn } from '@/lib/cn'

/**
 * A heartbeat's ping URL (api.md "More kinds of monitor"), with Copy and the ways to call
 * it. The URL is the heartbeat's secret: anyone who has it can report for the job.
 */
export function PingUrlCard({ pingUrl, intervalSeconds, graceSeconds }: { pingUrl: string; intervalSeconds: number; graceSeconds: number }) {
  const field = useRef<HTMLInputElement>(null)
  const [copied, setCopied] = useState<'yes' | 'select' | null>(null)

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(pingUrl)
      setCopied('yes')
    } catch {
      // No clipboard access (an insecure origin, a refusal): select it for Ctrl+C instead.
      field.current?.select()
      setCopied('select')
    }
  }

  const failUrl = `${pingUrl}fail/`
  return (
    <Card data-testid="ping-url-card">
      <CardHeader>
        <CardTitle>Ping URL</CardTitle>
        <CardDescription>
          Have your job call this URL each time it runs (GET or POST, no login). No ping within {intervalSeconds} s
          {graceSeconds ? ` plus ${graceSeconds} s of grace` : ''} marks it down.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-3">
        <div className="flex flex-col gap-2 sm:flex-row">
          <input
            ref={field}
            readOnly
            value={pingUrl}
            aria-label="Ping URL"
            spellCheck={false}
            onFocus={(event) => event.currentTarget.select()}
            className={cn(inputClasses, 'min-w-0 font-mono text-xs sm:flex-1')}
          />
          <Button variant="outline" onClick={() => void copy()} className="sm:flex-none">
            Copy
          </Button>
        </div>
        <p className="text-xs empty:hidden" aria-live="polite">
          {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'select' ? 'Selected: press Ctrl+C (⌘C) to copy.' : ''}
        </p>
        <div className="space-y-1 text-xs text-slate-600">
          <p>For example, at the end of a cron job:</p>
          <pre className="overflow-x-auto rounded-md bg-slate-900 px-3 py-2 font-mono text-slate-100">
            <code>{`backup.sh && curl -fsS ${pingUrl} || curl -fsS ${failUrl}`}</code>
          </pre>
          <p>
            Calling <span className="break-all font-mono">{failUrl}</span> reports a failure: the heartbeat is down at once.
          </p>
        </div>
      </CardContent>
    </Card>
  )
}
