import {Flags} from '@oclif/core'
import {AutobusCommand, bytes, table} from '../../lib/autobus.js'

export default class Snapshots extends AutobusCommand {
  static description = 'list the snapshots of the app\'s databases'
  static examples = ['$ heroku autobus:snapshots -a sushi']
  static flags = {json: Flags.boolean({description: 'output in JSON'})}

  async run(): Promise<void> {
    const {flags} = await this.parse(Snapshots)
    const snapshots = await (await this.autobus(flags.app)).snapshots()
    if (flags.json) {
      this.log(JSON.stringify(snapshots, null, 2))
      return
    }
    if (snapshots.length === 0) {
      this.log(`${flags.app} has no snapshot yet. Take one with: heroku autobus:capture -a ${flags.app}`)
      return
    }
    this.log(table(snapshots.map(s => ({
      ID: s.id,
      Kind: s.kind,
      Created: s.created_at,
      Status: s.status,
      Size: bytes(s.size),
      Database: s.database,
      Verification: s.verification?.status ?? '',
    })), ['ID', 'Kind', 'Created', 'Status', 'Size', 'Database', 'Verification']))
  }
}
