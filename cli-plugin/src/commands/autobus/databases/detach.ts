import {Args, Flags} from '@oclif/core'
import {AutobusCommand, AutobusError} from '../../../lib/autobus.js'

export default class Detach extends AutobusCommand {
  static description = 'detach a database attached by URL: its backups stop, its snapshots stay until their retention ends'
  static examples = ['$ heroku autobus:databases:detach STAGING_URL -a sushi --confirm sushi']
  static args = {name: Args.string({description: 'the database, e.g. STAGING_URL', required: true})}
  static flags = {confirm: Flags.string({description: 'the app\'s name, to confirm'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Detach)
    if (flags.confirm !== flags.app) {
      throw new AutobusError(`This stops the backups of ${args.name} on ${flags.app}. To proceed, add: --confirm ${flags.app}`)
    }
    this.log((await (await this.autobus(flags.app)).detach(args.name)).message)
  }
}
