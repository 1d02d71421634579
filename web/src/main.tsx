import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './index.css'
import { App } from '@/app/App'
import { createQueryClient } from '@/app/queryClient'
import { createAppRouter } from '@/app/router'
import { resetClientState } from '@/app/sessionEnd'
import { setSessionExpiredHandler } from '@/api/client'
import { syncSessionAcrossTabs } from '@/stores/session'

const queryClient = createQueryClient()
const router = createAppRouter({ queryClient })

setSessionExpiredHandler(() => {
  const { pathname, href } = router.state.location
  const leave =
    pathname === '/login' || pathname === '/register'
      ? Promise.resolve()
      : router.navigate({ to: '/login', search: { redirect: href } })
  void leave.then(() => resetClientState(queryClient))
})
syncSessionAcrossTabs()

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App queryClient={queryClient} router={router} />
  </StrictMode>,
)
