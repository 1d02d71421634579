/**
 * One query parameter exactly as the URL has it. The router's own search parsing reads
 * values as JSON (a token of digits would become a number), so tokens from e-mail
 * links are read from the raw query string instead.
 */
export function rawSearchParam(searchStr: string, name: string): string | null {
  const value = new URLSearchParams(searchStr.startsWith('?') ? searchStr.slice(1) : searchStr).get(name)
  return value && value.trim() ? value.trim() : null
}
