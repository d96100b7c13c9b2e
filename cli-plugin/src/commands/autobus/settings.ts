import {Flags} from '@oclif/core'
import {AutobusCommand, AutobusError} from '../../lib/autobus.js'

export default class SettingsCommand extends AutobusCommand {
  static description = 'show the backup settings, or change them with flags'
  static examples = [
    '$ heroku autobus:settings -a sushi',
    '$ heroku autobus:settings -a sushi --hour 4 --monthly',
    '$ heroku autobus:settings -a sushi --database DATABASE_URL --exclude-tables audit_log,sessions',
    '$ heroku autobus:settings -a sushi --encryption-key age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p',
  ]
  static flags = {
    hour: Flags.integer({description: 'hour of the daily backup (0-23, in the add-on\'s time zone)', min: 0, max: 23}),
    'time-zone': Flags.string({description: 'e.g. UTC or Europe/Berlin'}),
    monthly: Flags.boolean({description: 'keep the run on the 1st as a Monthly snapshot (a year)', allowNo: true}),
    database: Flags.string({description: 'config var of the database --exclude-tables applies to'}),
    'exclude-tables': Flags.string({description: 'tables to leave out of the dump, comma-separated ("" for none)'}),
    'encryption-key': Flags.string({description: 'your age public key (age1..., from age-keygen): later snapshots are encrypted to it, '
      + 'and only your private key opens them (a lost private key means lost backups); "none" to stop'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SettingsCommand)
    const autobus = await this.autobus(flags.app)
    const change: Record<string, unknown> = {}
    if (flags.hour !== undefined) change.backup_hour = flags.hour
    if (flags['time-zone'] !== undefined) change.time_zone = flags['time-zone']
    if (flags.monthly !== undefined) change.monthly = flags.monthly
    if (flags['exclude-tables'] !== undefined) {
      if (!flags.database) throw new AutobusError('--exclude-tables needs --database, e.g. --database DATABASE_URL')
      change.database = flags.database
      change.exclude_tables = flags['exclude-tables'].split(',').map((name: string) => name.trim()).filter(Boolean)
    }
    let settings = Object.keys(change).length > 0 ? await autobus.changeSettings(change) : await autobus.settings()
    const key = flags['encryption-key']
    if (key !== undefined) {
      settings = await autobus.encryptTo(key.trim() === 'none' ? null : key)
      if (settings.encryption_recipient) {
        this.warn('Keep your private key safe: without it, snapshots encrypted to this key cannot be restored, by you or by Autobus. '
          + 'Test it first: the dashboard\'s Settings tab (heroku autobus:open) sends a sample to decrypt.')
      }
    }
    this.log(`Daily backup:   ${settings.backup_hour}:${String(settings.backup_minute).padStart(2, '0')} ${settings.time_zone}`)
    this.log(`Weekly on:      ${settings.weekly_day}`)
    this.log(`Monthly:        ${settings.monthly ? 'on' : 'off'}`)
    this.log(`Encryption:     ${settings.encryption_recipient ? `to your own key ${settings.encryption_recipient}` : 'storage encryption only'}`)
    for (const database of settings.databases) {
      this.log(`${database.database}: excluded tables ${database.exclude_tables.length > 0 ? database.exclude_tables.join(', ') : 'none'}`)
    }
  }
}
