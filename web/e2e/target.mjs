// A local HTTP target for the checker that the flows switch between answering and failing.
import { createServer } from 'node:http'

/**
 * Listens on 127.0.0.1 (a free port): 200 "ok" while `healthy`, else 503. Returns
 * `{ url, setHealthy(bool), requests(), close() }`; `requests()` counts the checks it answered.
 */
export async function switchableTarget() {
  let healthy = true
  let count = 0
  const server = createServer((request, response) => {
    count += 1
    request.resume()
    response.writeHead(healthy ? 200 : 503, { 'Content-Type': 'text/plain', Connection: 'close' })
    response.end(healthy ? 'ok\n' : 'unavailable\n')
  })
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  return {
    url: `http://127.0.0.1:${port}/health`,
    setHealthy(value) {
      healthy = value
    },
    requests: () => count,
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}
