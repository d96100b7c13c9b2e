import {Args} from '@oclif/core'
import {AutobusCommand, bytes, Release, table} from '../../lib/autobus.js'

export default class Info extends AutobusCommand {
  static description = 'show one snapshot (the newest when no id is given) with its statistics'
  static args = {id: Args.string({description: 'snapshot id'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Info)
    const s = await (await this.autobus(flags.app)).snapshotOrNewest(args.id)
    const lines: [string, string][] = [
      ['Snapshot', s.id], ['Kind', s.kind], ['Database', s.database], ['Created', s.created_at], ['Release', release(s.release)],
      ['Status', s.status],
      ['Size', bytes(s.size)], ['File', s.file_name ?? ''], ['SHA-256', s.sha256 ?? ''],
      ['Encrypted to', s.encrypted_to ? `${s.encrypted_to} (your own key: only your private key opens the file)` : ''],
      ['Dumped with', s.dump_tool ?? ''], ['Restore with', s.restore_with ?? ''], ['Partial', s.partial ?? ''],
      ['Restore', s.encrypted_to ? s.restore_command ?? `age -d -i key.txt ${s.file_name ?? ''} | ...` : ''],
      ['Verification', [s.verification?.status, s.verification?.detail].filter(Boolean).join(': ')],
      ['Verified on', s.verification?.server_version ? `server ${s.verification.server_version}` : ''],
      ['Description', s.description ?? ''], ['Error', s.error ?? ''], ['Database size', bytes(s.statistics?.database_size)],
    ]
    for (const [label, value] of lines) if (value) this.log(`${(label + ':').padEnd(15)} ${value}`)
    const tables = s.statistics?.tables ?? []
    if (tables.length > 0) {
      this.log('')
      this.log(table(tables.map(t => ({
        Table: t.name,
        Rows: String(t.rows) + (t.rows_exact ? '' : ' (estimate)'),
        Change: t.rows_change === null ? 'new' : (t.rows_change >= 0 ? '+' : '') + t.rows_change,
        Size: bytes(t.size),
      })), ['Table', 'Rows', 'Change', 'Size']))
    }
  }
}

/** v143, its commit and its description, as far as they are known: v143, commit abc1234 (Deploy abc1234). */
function release(value: Release | null | undefined): string {
  if (!value) return ''
  return `v${value.version}${value.commit ? `, commit ${value.commit}` : ''}${value.description ? ` (${value.description})` : ''}`
}
