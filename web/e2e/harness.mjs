// A tiny test harness: named steps, a clear "N passed, N failed" line, exit code.

const results = []
// E2E_ONLY=text runs only the flows whose name contains it (while working on one flow).
const only = process.env.E2E_ONLY || ''

export async function test(name, fn) {
  if (only && !name.includes(only)) {
    console.log(`skip - ${name} (E2E_ONLY=${only})`)
    return
  }
  const started = Date.now()
  try {
    await fn()
    results.push({ name, ok: true })
    console.log(`ok   - ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  } catch (error) {
    results.push({ name, ok: false, error })
    console.log(`FAIL - ${name}\n       ${String(error?.stack || error).split('\n').join('\n       ')}`)
  }
}

export function summary() {
  const passed = results.filter((r) => r.ok).length
  const failed = results.length - passed
  console.log(`\n${passed} passed, ${failed} failed`)
  return failed === 0 ? 0 : 1
}

/** Throws when the browser saw console errors or CSP violations since `from`. */
export function assertNoProblems(problems, from = 0) {
  const seen = problems.slice(from)
  if (seen.length) throw new Error(`browser reported problems:\n  ${seen.join('\n  ')}`)
}
