import { useMe } from '@/hooks/useMe'
import { useSession } from '@/stores/session'
import { TwoFactorCard } from './TwoFactorCard'

/** The signed-in user's own sign-in settings (/settings/security). */
export function SecurityPage() {
  const me = useMe()
  const sessionEmail = useSession((s) => s.user?.email)
  const email = me.data?.user.email ?? sessionEmail
  return (
    <div className="max-w-3xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Security</h1>
        <p className="text-sm text-slate-600">
          How you sign in{email && <> as <span className="break-all font-medium text-slate-800">{email}</span></>}. These
          settings are yours alone, not the organisation&rsquo;s.
        </p>
      </div>
      <TwoFactorCard />
    </div>
  )
}
