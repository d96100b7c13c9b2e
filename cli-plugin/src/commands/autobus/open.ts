import open from 'open'
import {AutobusCommand, AutobusError} from '../../lib/autobus.js'

export default class Open extends AutobusCommand {
  static description = 'open the Autobus dashboard (through Heroku\'s single sign-on)'

  async run(): Promise<void> {
    const {flags} = await this.parse(Open)
    const {body: addons} = await this.heroku.get<{addon_service: {name: string}; web_url: string}[]>(
      `/apps/${encodeURIComponent(flags.app)}/addons`)
    const autobus = addons.find(addon => addon.addon_service?.name === 'autobus')
    if (!autobus) throw new AutobusError(`${flags.app} has no Autobus add-on. Add one with: heroku addons:create autobus -a ${flags.app}`)
    this.log(`Opening ${autobus.web_url}`)
    await open(autobus.web_url).catch(() => this.log('Open that address in your browser.'))
  }
}
