// Prints what each page costs on a first visit (gzip), from the files in dist/:
// the entry with its static imports and CSS, plus the page's lazy chunk and its
// imports. Fails when a first visit exceeds the budget (200 KB gzip by default).
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const dist = join(import.meta.dirname, '..', 'dist')
const assets = join(dist, 'assets')
const budget = Number(process.env.SIZE_BUDGET_KB || 200) * 1024
const pages = [
  'LoginPage',
  'RegisterPage',
  'ForgotPasswordPage',
  'ResetPasswordPage',
  'VerifyEmailPage',
  'DashboardPage',
  'EndpointPage',
  'AlertsPage',
  'NotificationsPage',
  'BillingPage',
  'SecurityPage',
  'TeamPage',
  'AcceptInvitationPage',
  'ApiKeysPage',
  'AuditLogPage',
  'StaffLoginPage',
  'StaffTenantsPage',
  'StaffBankTransferPage',
  'StaffReportsPage',
  'PublicStatusPage',
  'SubscriptionLinkPage',
  'IncidentsPage',
  'MaintenancesPage',
  'StatusPagesPage',
]

const gz = new Map()
const gzipSize = (file) => {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(assets, file)), { level: 9 }).length)
  return gz.get(file)
}
const staticImports = (file) =>
  [...readFileSync(join(assets, file), 'utf8').matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)].map((m) => m[1])

function closure(files) {
  const seen = new Set()
  const visit = (file) => {
    if (seen.has(file)) return
    seen.add(file)
    staticImports(file).forEach(visit)
  }
  files.forEach(visit)
  return seen
}

const html = readFileSync(join(dist, 'index.html'), 'utf8')
const entry = html.match(/src="\/assets\/([^"]+\.js)"/)[1]
const css = [...html.matchAll(/href="\/assets\/([^"]+\.css)"/g)].map((m) => m[1])
const shell = closure([entry])
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`
const sum = (files) => [...files].reduce((total, file) => total + gzipSize(file), 0)

const shellBytes = sum(shell) + sum(css)
console.log(`app shell (entry, vendors, CSS): ${kb(shellBytes)} gzip`)
let over = false
const files = readdirSync(assets)
for (const name of pages) {
  const chunk = files.find((file) => file.startsWith(`${name}-`) && file.endsWith('.js'))
  if (!chunk) continue
  const extra = [...closure([chunk])].filter((file) => !shell.has(file))
  const total = shellBytes + sum(extra)
  over ||= total > budget
  console.log(`first visit to ${name.padEnd(21)} ${kb(total).padStart(9)} gzip (page adds ${kb(sum(extra))})`)
}
if (over) {
  console.error(`over the ${kb(budget)} budget`)
  process.exit(1)
}
