/** Whether a resolved module URL lies below the root (after `..` has been resolved by URL parsing). */
export function isInsideRoot(url: string, root: string): boolean {
  const clean = url.replace(/[?#].*$/, '')
  return clean.startsWith(root)
}
