// Launches the machine's Chromium through playwright-core (no browser download) and
// records console errors, page errors and Content-Security-Policy violations.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export const WIDTHS = [375, 1280]

// Profiles of browsers still open; removed when the process exits early (signal, crash).
const profiles = new Set()
process.on('exit', () => {
  for (const dir of profiles) rmSync(dir, { recursive: true, force: true })
})

/** A fresh browser with its own temporary profile; `close()` removes the profile. */
export async function launchBrowser() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'statuswatch-e2e-'))
  profiles.add(userDataDir)
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
  })
  const problems = []
  await context.exposeBinding('__swReportCsp', (_source, text) => problems.push(`CSP violation: ${text}`))
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = globalThis.__swReportCsp
      if (typeof report === 'function') {
        report(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`)
      }
    })
  })
  const watch = (page) => {
    page.on('console', (message) => {
      if (message.type() !== 'error') return
      const source = message.location()?.url
      problems.push(`console error on ${page.url()}: ${message.text()}${source ? ` (from ${source})` : ''}`)
    })
    page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`))
  }
  context.on('page', watch)
  for (const page of context.pages()) watch(page)
  const close = async () => {
    await context.close().catch(() => {})
    rmSync(userDataDir, { recursive: true, force: true })
    profiles.delete(userDataDir)
  }
  return { context, problems, close }
}

/**
 * Screenshots the page at each width as NAME-375.png and NAME-1280.png: the full page, or
 * only the viewport (`fullPage: false`) where a fixed overlay such as a dialog is open.
 */
export async function screenshots(page, dir, name, { fullPage = true } = {}) {
  if (!dir) return
  mkdirSync(dir, { recursive: true })
  const original = page.viewportSize()
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 })
    await page.waitForTimeout(250) // let the layout and the chart settle at the new width
    await page.screenshot({ path: join(dir, `${name}-${width}.png`), fullPage })
  }
  if (original) await page.setViewportSize(original)
}
