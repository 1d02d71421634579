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
  resetClientState(queryClient)
  const { pathname, href } = router.state.location
  if (pathname !== '/login' && pathname !== '/register') {
    void router.navigate({ to: '/login', search: { redirect: href } })
  }
})
syncSessionAcrossTabs()

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App queryClient={queryClient} router={router} />
  </StrictMode>,
)
