import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import {allCalled, autobus, fakeNetwork, heroku, unwrapped} from '../helpers.js'

const MAIN = {database: 'DATABASE_URL', engine: 'postgresql', host: 'ec2-1.compute.amazonaws.com', port: 5432, name: 'd8f',
  source: 'config_var', covered: true, not_covered_reason: null}
const PURPLE = {database: 'HEROKU_POSTGRESQL_PURPLE_URL', engine: 'postgresql', host: 'ec2-2.compute.amazonaws.com', port: 5432,
  name: 'p1', source: 'config_var', covered: false,
  not_covered_reason: 'HEROKU_POSTGRESQL_PURPLE_URL is not covered by your plan: the free plan backs up 1 database (DATABASE_URL).'
    + ' Upgrade to travel (5 databases) to back it up: heroku addons:upgrade autobus:travel.'}

describe('heroku autobus:databases', () => {
  fakeNetwork()

  it('lists the databases and says which the plan does not back up, and why', async () => {
    heroku()
    autobus().get('/api/databases').reply(200, [MAIN, PURPLE])

    const {stdout, stderr, error} = await runCommand(['autobus:databases', '-a', 'sushi'])

    expect(error).to.equal(undefined)
    expect(stdout).to.match(/DATABASE_URL\s+postgresql\s+ec2-1\.compute\.amazonaws\.com\/d8f\s+app config var\s+daily/)
    expect(stdout).to.match(/HEROKU_POSTGRESQL_PURPLE_URL .*NOT COVERED by your plan/)
    expect(unwrapped(stderr)).to.contain('heroku addons:upgrade autobus:travel')
    allCalled()
  })

  it('attaches by URL and shows what the connection test found, or why it failed', async () => {
    heroku()
    autobus().post('/api/databases', {name: 'STAGING', url: 'postgres://u:p@db.example.com/s', replace: false})
      .reply(201, {...MAIN, database: 'STAGING_URL', source: 'attached', server: 'PostgreSQL 16.4', dump_tool: 'pg_dump 16.4'})
    const attached = await runCommand(['autobus:databases:attach', 'STAGING', 'postgres://u:p@db.example.com/s', '-a', 'sushi'])
    expect(attached.stdout).to.contain('Attached STAGING_URL: PostgreSQL 16.4, dumped with pg_dump 16.4.')

    heroku()
    autobus().post('/api/databases').reply(422, {message: 'The connection test failed, so nothing was saved: could not connect'})
    const refused = await runCommand(['autobus:databases:attach', 'STAGING', 'postgres://u:p@db.example.com:1/s', '-a', 'sushi', '--replace'])
    expect(refused.error.message).to.contain('The connection test failed, so nothing was saved')
    allCalled()
  })

  it('detaches only with --confirm', async () => {
    const refused = await runCommand(['autobus:databases:detach', 'STAGING_URL', '-a', 'sushi'])
    expect(refused.error.message).to.contain('--confirm sushi')

    heroku()
    autobus().delete('/api/databases/STAGING_URL')
      .reply(200, {message: 'Database has been detached; its snapshots are kept until their retention ends'})
    const {stdout} = await runCommand(['autobus:databases:detach', 'STAGING_URL', '-a', 'sushi', '--confirm', 'sushi'])
    expect(stdout).to.contain('Database has been detached')
    allCalled()
  })
})
