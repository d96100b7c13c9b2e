import {Args, Flags} from '@oclif/core'
import {AutobusCommand, bytes, table} from '../../lib/autobus.js'

export default class Tables extends AutobusCommand {
  static description = 'list the tables in a snapshot (the newest when no id is given), to choose what autobus:restore --table restores'
  static examples = [
    '$ heroku autobus:tables -a sushi',
    '$ heroku autobus:tables 5ac7bb45772c9005be448fbe -a sushi --json',
  ]

  static args = {id: Args.string({description: 'snapshot id'})}
  static flags = {json: Flags.boolean({description: 'output in JSON'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Tables)
    const autobus = await this.autobus(flags.app)
    const id = args.id || await autobus.newestId()
    const tables = await autobus.tables(id)
    if (flags.json) {
      this.log(JSON.stringify(tables, null, 2))
      return
    }
    if (tables.length === 0) {
      this.log(`Snapshot ${id} holds no table.`)
      return
    }
    this.log(`Snapshot ${id}: ${tables.length} ${tables.length === 1 ? 'table' : 'tables'}`)
    this.log('')
    this.log(table(tables.map(t => ({
      Table: t.name,
      Rows: String(t.rows) + (t.rows_exact ? '' : ' (estimate)'),
      Size: bytes(t.size),
    })), ['Table', 'Rows', 'Size']))
  }
}
