// Parity before reopening, as a pure comparison: what stops the promote, what is only said.
import { describe, expect, it } from 'vitest'
import { compareInventories, type Inventory } from '../../src/postgres/parity'

function inventory(
  parts: Partial<{
    tables: [string, number, boolean?][]
    sequences: [string, number | null][]
    extensions: [string, string][]
  }>,
): Inventory {
  return {
    tables: new Map(
      (parts.tables ?? []).map(([name, rows, exact]) => [name, { rows, exact: exact ?? true }]),
    ),
    sequences: new Map(parts.sequences ?? []),
    extensions: new Map(parts.extensions ?? []),
  }
}

const old = inventory({
  tables: [
    ['public.orders', 120],
    ['public.users', 7],
  ],
  sequences: [['public.orders_id_seq', 130]],
  extensions: [
    ['plpgsql', '1.0'],
    ['pg_trgm', '1.5'],
  ],
})

describe('compareInventories', () => {
  it('passes a new database that holds the same, sequences ahead included (a follower caches values)', () => {
    const fresh = inventory({
      tables: [
        ['public.orders', 120],
        ['public.users', 7],
      ],
      sequences: [['public.orders_id_seq', 162]],
      extensions: [
        ['plpgsql', '1.0'],
        ['pg_trgm', '1.6'],
      ],
    })
    const verdict = compareInventories(old, fresh)
    expect(verdict.problems).toEqual([])
    expect(verdict.notes).toEqual(['extension pg_trgm: 1.5 on the old database, 1.6 on the new one'])
    expect(verdict.summary).toBe(
      '2 tables with 127 rows, 1 sequence (none behind), 2 extensions: the new database holds what the old one holds',
    )
  })

  it('stops on a missing table, a count that differs, a sequence behind and a missing extension', () => {
    const fresh = inventory({
      tables: [['public.orders', 119]],
      sequences: [['public.orders_id_seq', 100]],
      extensions: [['plpgsql', '1.0']],
    })
    expect(compareInventories(old, fresh).problems).toEqual([
      'table public.orders has 119 rows on the new database, 120 on the old one',
      'table public.users (7 rows) is missing on the new database',
      'sequence public.orders_id_seq is at 100 on the new database, behind 130 on the old one',
      'extension pg_trgm 1.5 is missing on the new database',
    ])
  })

  it('says which tables were only estimated, and does not stop on their counts', () => {
    const big = inventory({ tables: [['public.events', 9_000_000, false]] })
    const verdict = compareInventories(big, inventory({ tables: [['public.events', 8_900_000, true]] }))
    expect(verdict.problems).toEqual([])
    expect(verdict.notes).toEqual([
      '1 table too big to count within the time budget: compared by estimate only, not checked',
    ])
  })
})
