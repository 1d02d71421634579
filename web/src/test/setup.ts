import '@testing-library/jest-dom/vitest'
import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'
import { usePlan } from '@/stores/plan'
import { useSession } from '@/stores/session'
import { useStaffSession } from '@/stores/staffSession'

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
