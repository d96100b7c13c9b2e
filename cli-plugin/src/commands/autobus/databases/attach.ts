import {Args, Flags} from '@oclif/core'
import {AutobusCommand} from '../../../lib/autobus.js'

export default class Attach extends AutobusCommand {
  static description = 'attach a database by its URL (Autobus connects to it first, and saves it only if it can dump it)'
  static examples = ['$ heroku autobus:databases:attach STAGING postgres://user:password@host:5432/db -a sushi']
  static args = {
    name: Args.string({description: 'a name like a config var: STAGING (kept as STAGING_URL)', required: true}),
    url: Args.string({description: 'postgres://, mysql:// or mariadb:// URL (stored encrypted)', required: true}),
  }

  static flags = {replace: Flags.boolean({description: 'point an attached database of this name at this URL instead'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Attach)
    const database = await (await this.autobus(flags.app)).attach(args.name, args.url, Boolean(flags.replace))
    this.log(`Attached ${database.database}: ${database.server ?? database.engine}, dumped with ${database.dump_tool ?? 'its own tool'}.`)
    if (!database.covered) this.warn(database.not_covered_reason ?? `${database.database} is not covered by your plan`)
  }
}
