import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import nock from 'nock'

export const HEROKU_TOKEN = 'heroku-user-token-must-never-reach-autobus'
export const KEY = 'k3y-from-autobus-url'
const BASIC = 'Basic ' + Buffer.from(`addon:${KEY}`).toString('base64')
export const SNAPSHOT = {
  id: '550bb45669702d21bd430000', kind: 'Daily', created_at: '2015-03-20T05:47:03.592Z', status: 'completed',
  database: 'DATABASE_URL', description: null, size: 2048, engine: 'postgresql',
  verification: {status: 'verified', detail: 'restored 1 table; every row count matches the dump', server_version: '15.15',
    verified_at: '2015-03-20T05:49:03.592Z', duration_ms: 1200},
  file_name: 'DATABASE_550bb45669702d21bd430000.dump',
}

/** Any control character but the line feed: C0 (ESC, BEL, CR, tab...), DEL, C1. */
export const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/

/** Every kind of escape a hostile string can carry: CSI clear screen, OSC title, OSC 8 link, BEL, CR, C1 CSI, DEL. */
export const HOSTILE = '\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://evil\x1b\\text\x1b]8;;\x1b\\\x07\rFAKE\u009b31m\x7f'

/** The Platform API, answering with the user's token only. */
export function heroku(configVars = {AUTOBUS_URL: `https://addon:${KEY}@autobus.example.com/`}) {
  return nock('https://api.heroku.com', {reqheaders: {authorization: `Bearer ${HEROKU_TOKEN}`}})
    .get('/apps/sushi/config-vars').reply(200, configVars)
}

/** Our API, which must only ever see the add-on key. */
export function autobus() {
  return nock('https://autobus.example.com', {reqheaders: {authorization: BASIC}, badheaders: ['cookie']})
}

/** Every call the test expected was made. */
export function allCalled() {
  expect(nock.pendingMocks(), 'every expected call was made').to.deep.equal([])
}

/** Each test starts with the user's Heroku token set and no real network. */
export function fakeNetwork() {
  beforeEach(() => {
    process.env.HEROKU_API_KEY = HEROKU_TOKEN
    nock.disableNetConnect()
  })
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })
}

/** Runs with stdout and stderr seen as terminals (or not), as a user's shell (or a CI log) would have them. */
export async function runIn(terminal, args, options) {
  const was = {stdout: process.stdout.isTTY, stderr: process.stderr.isTTY}
  process.stdout.isTTY = terminal
  process.stderr.isTTY = terminal
  try {
    return await runCommand(args, undefined, options)
  } finally {
    process.stdout.isTTY = was.stdout
    process.stderr.isTTY = was.stderr
  }
}

/** The frames of a progress bar as a terminal shows them: each drawn over the one before, from the first column (ESC [1G). */
export function frames(stderr) {
  return stderr.split('\x1b[1G').slice(1).map(frame => frame.replace(/\x1b(\[[0-9;?]*[A-Za-z]|[78])/g, '').split('\n')[0].trimEnd())
}

/** stderr with oclif's warnings, wrapped at 80 columns under " ›   ", joined back into one line each. */
export function unwrapped(stderr) {
  return stderr.replace(/ ?\n ›   /g, ' ')
}
