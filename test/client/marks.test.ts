import { describe, expect, test } from 'vitest'
import { mark } from '../../src/client/marks.ts'

/** The page keeps every user mark for its whole life: a swap's phases must not add up over a session. */
describe('swap phase marks', () => {
  test('only the latest mark of each phase is kept', () => {
    for (let i = 0; i < 50; i++) {
      mark('test-import')
      mark('test-imported')
    }
    expect(performance.getEntriesByName('hotclass:test-import')).toHaveLength(1)
    expect(performance.getEntriesByName('hotclass:test-imported')).toHaveLength(1)
  })
})
