import open from 'open'
import {AutobusCommand, AutobusError} from '../../lib/autobus.js'
import {printable} from '../../lib/printable.js'

export default class Open extends AutobusCommand {
  static description = 'open the Autobus dashboard (through Heroku\'s single sign-on)'

  async run(): Promise<void> {
    const {flags} = await this.parse(Open)
    const {body: addons} = await this.heroku.get<{addon_service: {name: string}; web_url: string}[]>(
      `/apps/${encodeURIComponent(flags.app)}/addons`)
    const autobus = addons.find(addon => addon.addon_service?.name === 'autobus')
    if (!autobus) throw new AutobusError(`${flags.app} has no Autobus add-on. Add one with: heroku addons:create autobus -a ${flags.app}`)
    // Only a plain web address goes to the browser opener: never an option, a local path or escapes.
    const url = URL.canParse(autobus.web_url) && printable(autobus.web_url) === autobus.web_url ? new URL(autobus.web_url) : undefined
    if (!url || !['https:', 'http:'].includes(url.protocol)) {
      throw new AutobusError(`Heroku gave no usable web address for the Autobus add-on of ${flags.app}.`)
    }
    this.log(`Opening ${url.href}`)
    await open(url.href).catch(() => this.log('Open that address in your browser.'))
  }
}
