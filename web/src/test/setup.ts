import '@testing-library/jest-dom/vitest'
import { cleanup, configure } from '@testing-library/react'
import { afterEach } from 'vitest'
import { usePlan } from '@/stores/plan'
import { useSession } from '@/stores/session'
import { useStaffSession } from '@/stores/staffSession'

// A page's first render loads its lazy chunk, which under a full parallel run on a small
// machine can take longer than Testing Library's default second.
configure({ asyncUtilTimeout: 5_000 })

afterEach(() => {
  cleanup()
  useSession.getState().clear()
  useStaffSession.getState().clear()
  usePlan.getState().reset()
  localStorage.clear()
  sessionStorage.clear()
})

// jsdom has no ResizeObserver; Radix measures elements with it.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver

// jsdom does not scroll; the router calls scrollTo on navigation.
window.scrollTo = (() => {}) as typeof window.scrollTo
