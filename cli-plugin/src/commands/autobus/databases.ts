import {Flags} from '@oclif/core'
import {AutobusCommand, table} from '../../lib/autobus.js'

export default class Databases extends AutobusCommand {
  static description = 'list the add-on\'s databases and whether its plan backs each up'
  static examples = ['$ heroku autobus:databases -a sushi']
  static flags = {json: Flags.boolean({description: 'output in JSON'})}

  async run(): Promise<void> {
    const {flags} = await this.parse(Databases)
    const databases = await (await this.autobus(flags.app)).databases()
    if (flags.json) {
      this.log(JSON.stringify(databases, null, 2))
      return
    }
    if (databases.length === 0) {
      this.log('No database yet: Autobus finds DATABASE_URL and the like in the app\'s config vars, or attach one with heroku autobus:databases:attach.')
      return
    }
    this.log(table(databases.map(d => ({
      Database: d.database,
      Engine: d.engine,
      Where: `${d.host}/${d.name}`,
      From: d.source === 'attached' ? 'attached by URL' : 'app config var',
      'Backed up': d.covered ? 'daily' : 'NOT COVERED by your plan',
    })), ['Database', 'Engine', 'Where', 'From', 'Backed up']))
    for (const d of databases.filter(d => !d.covered)) {
      this.log('')
      this.warn(d.not_covered_reason ?? `${d.database} is not covered by your plan`)
    }
  }
}
